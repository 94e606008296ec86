// A loaded trace: the input's events in timestamp order plus the process model
// built from them. Every view (sort, render, analyses, exports) starts here.
// Loading sits above both sources: io reads recordings (JSON lines), import
// reads strace logs, and only this layer knows there are two.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/diagnostics.h"
#include "io/input_file.h"
#include "model/proc_snapshot.h"
#include "model/process_tree.h"
#include "model/recording_info.h"

namespace proctrace {

class SyscallTable;

struct TraceEvent {
  Nanos timestamp = 0;
  ProcessIndex process = kNoProcess;
  EventKind kind = EventKind::Fork;
  std::string_view line;  // the event as a JSON line (original text where there was one)
};

struct LoadOptions {
  // Which events Trace::events lists. The model (Trace::tree) is built from
  // every event either way; a view that reads only the model needs none of
  // them (a million-event recording's list is 32 MB), the HTML report only
  // the Exec lines that carry inherited fds.
  enum class Events : std::uint8_t { All, ExecsWithFds, None };
  Events events = Events::All;
  bool keep_syscalls = false;  // strace imports: fill Trace::syscalls
  Pid attach_pid = 0;          // strace imports: see StraceImport::attach_pid
  std::string date;            // strace imports: see StraceImport::date
  // strace imports: add the state at the end of the log as a "log-ended"
  // snapshot (import/log_end_snapshot.h) when processes have no exit in it.
  // Replays every syscall: for `why` and the views that mark its culprits.
  bool log_end_snapshot = false;
  // strace imports: the fds each execve kept, replayed from the log
  // (import/exec_fds.h), on its Exec lines as the recorder writes them.
  // For the HTML report's inherited fds.
  bool exec_fds = false;
};

struct Trace {
  Meta meta;
  bool has_meta = false;
  Stats stats;
  bool has_stats = false;
  bool from_strace = false;
  std::vector<TraceEvent> events;  // stable-sorted by timestamp; see LoadOptions::events
  // Over all events, listed or not.
  std::uint64_t event_count = 0;
  Nanos first_event = 0;
  Nanos last_event = 0;
  ProcessTree tree;
  std::shared_ptr<SyscallTable> syscalls;  // strace imports with keep_syscalls
  std::vector<ProcSnapshot> snapshots;     // in file order (proctrace why)
  // Some Exec carries the fds it inherited (Event::has_fds): views that
  // read them back from the lines need not touch every line otherwise.
  bool exec_fds = false;

  // Backing storage for TraceEvent::line.
  std::vector<std::unique_ptr<InputFile>> inputs;
  std::deque<std::string> synthesized_lines;
};

// Loads one recording (ours or the original proctrace's), or strace logs
// (several paths: the files of strace -ff), detected by content. Bad lines are
// reported to diag and skipped. Throws InputError when nothing can be read.
std::unique_ptr<Trace> load_trace(const std::vector<std::string>& paths, Diagnostics& diag,
                                  const LoadOptions& options = {});
// The same on inputs already open (stdin can be read only once).
std::unique_ptr<Trace> load_trace(std::vector<std::unique_ptr<InputFile>> inputs, Diagnostics& diag,
                                  const LoadOptions& options = {});
// Opens the paths (or the files of an strace -ff prefix). Throws InputError.
std::vector<std::unique_ptr<InputFile>> open_inputs(const std::vector<std::string>& paths);

struct ReadSummary;
// A recording can be short of events without a bad line: the recorder
// counted losses, or it never got to write its Stats line. Views built from
// it must not look complete without saying so.
void warn_if_incomplete(const Meta& meta, bool has_meta, const Stats& stats, bool has_stats,
                        const ReadSummary& summary, const std::string& name, Diagnostics& diag);

}  // namespace proctrace
