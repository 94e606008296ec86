// Streams a trace through the lifecycle walker into a sink, for views and
// exports whose memory must follow the processes alive at once rather than
// the size of the input. A recording already in time order (what the
// recorders write) is read straight from the file, giving its pages back as
// it goes; anything else (out of order, strace logs) is loaded and sorted
// first, then replayed the same way, so a sink has one code path.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "io/diagnostics.h"
#include "io/input_file.h"
#include "load/trace.h"
#include "model/lifecycle_walker.h"
#include "model/recording_info.h"

namespace proctrace {

class SyscallTable;

struct TraceHeader {
  const Meta* meta = nullptr;  // defaults when the file has no Meta line
  bool has_meta = false;
  bool from_strace = false;
  // The file the event lines point into, when streamed straight from one: a
  // sink that reads old lines again may give its pages back (release()).
  const InputFile* input = nullptr;
};

struct TraceSummary {
  const Stats* stats = nullptr;  // defaults when the file has no Stats line
  bool has_stats = false;
  std::uint64_t events = 0;
  std::uint64_t processes = 0;
  std::uint64_t segments = 0;
  Nanos first_timestamp = 0;
  Nanos last_timestamp = 0;
  // strace imports with LoadOptions::keep_syscalls. SyscallRecord::process
  // equals the Process::serial the sink saw for that process.
  const SyscallTable* syscalls = nullptr;
};

class TraceStreamSink : public LifecycleSink {
 public:
  // Before the first event; the header's pointers live until end().
  virtual void begin(const TraceHeader& header) = 0;
  virtual void end(const TraceSummary& summary) = 0;
  // A sink that can drop all it was given and start over (it writes nothing
  // before end()) spares stream_trace the order pre-scan: the recording is
  // streamed at once and, should an event come out of order, restart() is
  // called and the loader's sorted trace replayed from begin().
  virtual bool can_restart() const { return false; }
  virtual void restart() {}
};

// Throws InputError when nothing can be read; bad lines go to diag.
void stream_trace(std::vector<std::unique_ptr<InputFile>> inputs, TraceStreamSink& sink, Diagnostics& diag,
                  const LoadOptions& options = {});

// Feeds a trace already loaded through the sink, as stream_trace does with
// inputs it had to load first; a process's serial equals its index in trace.
void replay_trace(const Trace& trace, TraceStreamSink& sink);

// True when every event line's timestamp is >= the one before, and a Meta
// line, if any, comes before the events (a cheap scan; no full parse).
// Given the input the text is from, gives its pages back behind the scan.
bool streams_in_order(std::string_view recording, const InputFile* input = nullptr);

}  // namespace proctrace
