// The compact form of a recording the build analyses (critical path,
// concurrency, stats by group, run-to-run diff) work on: one span per
// process and one run per program it executed, read from the trace as a
// stream. Only what these analyses need is kept (no event lines, no process
// model), so a recording of a million events fits in a few tens of MB.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "io/diagnostics.h"
#include "load/trace.h"
#include "load/trace_stream.h"
#include "model/event.h"

namespace proctrace {

inline constexpr std::uint32_t kNoRun = ~std::uint32_t{0};
inline constexpr std::uint32_t kNoSpan = ~std::uint32_t{0};
inline constexpr std::uint32_t kNoCwd = ~std::uint32_t{0};

// One process of the recording.
struct ProcessSpan {
  Pid pid = 0;
  std::uint32_t parent = kNoSpan;  // index of the parent's span; none for roots and orphans
  Nanos start = 0;
  Nanos end = 0;          // exit, or the end of the recording when none was seen
  bool exited = false;    // an exit was recorded
  ExitStatus exit;
  std::uint32_t last_run = kNoRun;  // the last program it executed; none: it only forked
  std::uint32_t program = 0;        // interned name of what it ran last (inherited when it never execed)

  Nanos duration() const { return end - start; }
  bool failed() const { return exited && exit.known() && !exit.success(); }
};

// What the recorder measured of a process (resource accounting), where it
// did; absent columns are left out of the views rather than shown as zero.
struct ProcessResources {
  std::optional<Nanos> cpu;
  std::optional<std::uint64_t> peak_rss_bytes;
};

// Text stored back to back in blocks that never move, so views into it stay
// valid as it grows and when the recording is moved: a million command
// lines cost their bytes, not a std::string (and an allocation) each.
class TextArena {
 public:
  std::string_view store(std::string_view text);

 private:
  static constexpr std::size_t kBlockBytes = 1 << 20;
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t capacity_ = 0;  // of the last block
  std::size_t used_ = 0;      // of it
};

// One program a process executed (an exec'd image; the stretch between
// fork and exec is not a run).
struct ProgramRun {
  std::uint32_t process = 0;  // index of its ProcessSpan
  Nanos start = 0;
  Nanos end = 0;       // the next exec, the exit, or the end of the recording
  bool last = false;   // its process's final program: the exit status is this run's
  std::uint32_t program = 0;  // interned base name of the executable
  std::uint32_t cwd = kNoCwd;  // interned in BuildRecording::cwds: the directory it was started in
  // Arguments joined by '\0' (they cannot contain one); a view into the
  // recording's BuildRecording::text, valid as long as the recording.
  std::string_view argv;

  Nanos duration() const { return end - start; }
};

struct BuildRecording {
  std::vector<ProcessSpan> processes;  // in order of appearance; parents before children
  std::vector<ProgramRun> runs;        // in order of exec
  std::vector<std::string> programs;   // interned names
  std::vector<std::string> cwds;       // interned working directories
  // By span; empty when the recording measured nothing (then no process
  // pays for the columns).
  std::vector<ProcessResources> resources;
  TextArena text;                      // what runs' argv views point into
  Nanos first = 0;                     // first and last timestamp of the recording
  Nanos last = 0;
  bool has_cpu = false;  // some span carries cpu / peak_rss_bytes, some run a cwd
  bool has_rss = false;
  bool has_cwd = false;

  std::string_view program(std::uint32_t id) const { return programs[id]; }
  const ProcessResources* resources_of(std::uint32_t span) const {
    return span < resources.size() ? &resources[span] : nullptr;
  }
  std::vector<std::string> argv(const ProgramRun& r) const;
  // A short label for a process: its last command line, shortened, or
  // "(fork of make)" for a process that never executed a program.
  std::string label(std::uint32_t span) const;
  bool failed(const ProgramRun& r) const { return r.last && processes[r.process].failed(); }
};

// Reads a recording or strace log as a stream into a BuildRecording. Bad
// lines go to diag; throws InputError when nothing can be read.
BuildRecording read_build_recording(const std::vector<std::string>& inputs, Diagnostics& diag);
// Two recordings (diff), read at once on two threads: on two cores in the
// time of one. Problems are reported as if read one after the other: the
// first's, then the second's; the first's InputError wins.
std::pair<BuildRecording, BuildRecording> read_build_recordings(const std::array<std::string, 2>& paths,
                                                                Diagnostics& diag);

// The sink behind read_build_recording, for tests and for callers that
// already stream.
class BuildRunCollector : public TraceStreamSink {
 public:
  void begin(const TraceHeader& header) override;
  void end(const TraceSummary& summary) override;
  void process_started(const Process& p, const Process* parent) override;
  void segment_ended(const Process& p, std::size_t segment) override;
  void process_ended(const Process& p) override;
  bool can_restart() const override { return true; }
  void restart() override;

  BuildRecording take() { return std::move(out_); }

 private:
  std::uint32_t intern(std::string_view name);
  std::uint32_t intern_cwd(std::string_view dir);
  ProcessResources& resources(std::uint32_t span);
  std::uint32_t span_of(std::uint64_t serial) const;

  BuildRecording out_;
  // serial -> span index while the process is alive; ended ones leave, so
  // this follows the processes alive at once.
  std::unordered_map<std::uint64_t, std::uint32_t> live_;
  // Looked up by string_view: a name is copied only the first time it is seen.
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  using NameIndex = std::unordered_map<std::string, std::uint32_t, NameHash, std::equal_to<>>;
  static std::uint32_t intern(NameIndex& index, std::vector<std::string>& names, std::string_view name);
  NameIndex intern_index_;
  NameIndex cwd_index_;
  std::string joined_;  // scratch: the argv being stored
};

}  // namespace proctrace
