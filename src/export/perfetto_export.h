// A Perfetto trace (.pftrace, protobuf) of a recording, for ui.perfetto.dev:
// one track per process nested under its parent's track (parent_uuid), one
// slice per exec segment named by the program (argv, pid, exit status as
// arguments), instant events for fork/setsid/setpgid, a counter track of
// the processes working (model/working_count.h), and for strace
// imports each syscall as a slice on its thread's track (and, asked, as a
// log entry: AndroidLogPacket, which the UI lists). Packets are written
// as the lifecycle walker reports them, so memory does not grow with the
// recording.
#pragma once

#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "export/recording_source.h"
#include "io/output_file.h"
#include "model/thread_grouping.h"
#include "model/working_count.h"

namespace proctrace {

struct SyscallRecord;

class PerfettoExport : public RecordingExport {
 public:
  // logs: strace imports also get each syscall line as a log entry (the
  // UI's log panel), beside its slice.
  explicit PerfettoExport(OutputFile& out, bool logs = false) : out_(out), logs_(logs) {}

  void begin(const RecordingHeader& header) override;
  void process_started(const Process& p, const Process* parent) override;
  void segment_started(const Process& p, std::size_t segment) override;
  void segment_ended(const Process& p, std::size_t segment) override;
  void event(const Event& e, std::string_view line, const Process& p) override;
  void process_ended(const Process& p) override;
  void end(const RecordingSummary& summary) override;

  std::uint64_t packets() const { return packets_; }

  // Track uuids: unique within the trace, stable across exports of a recording.
  static std::uint64_t process_track(std::uint64_t serial) { return (std::uint64_t{1} << 62) | serial; }
  static constexpr std::uint64_t kWorkingTrack = std::uint64_t{3} << 62;
  static std::uint64_t thread_track(std::uint64_t serial, Pid tid) {
    return (std::uint64_t{2} << 62) | (serial << 32) | static_cast<std::uint32_t>(tid);
  }

 private:
  void write_syscalls(const SyscallTable& table);
  void instant(Nanos ts, std::uint64_t track, std::string_view name, std::string_view key, std::int64_t value);
  std::uint64_t declare_thread(const SyscallRecord& r);
  void write_working(Nanos ts);
  void start_packet(Nanos ts);
  void finish_packet();

  void write_log_events(Nanos first, const std::string& events);

  OutputFile& out_;
  bool logs_ = false;
  std::optional<InferredThreadGroups> inferred_;  // from the recording's Meta, at begin()
  std::string packet_;
  std::string scratch_;
  std::uint64_t packets_ = 0;
  std::vector<std::uint64_t> parent_track_;  // by model slot; 0: no parent
  std::unordered_set<std::uint64_t> thread_tracks_;
  WorkingCount working_;
  std::uint64_t working_written_ = ~std::uint64_t{0};  // the counter's last value in the trace
};

}  // namespace proctrace
