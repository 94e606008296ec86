// The first (Meta) and last (Stats) lines of a recording. Files of the
// original proctrace have neither; readers treat both as optional.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/event.h"

namespace proctrace {

inline constexpr int kFormatVersion = 1;

struct Meta {
  int version = kFormatVersion;
  std::string backend;  // "bpf" | "strace" | "strace-import"
  std::string clock;    // "CLOCK_BOOTTIME" (bpf), "CLOCK_REALTIME" (strace), ...
  // Add to an event timestamp to get nanoseconds since the Unix epoch.
  std::int64_t clock_offset_ns = 0;
  std::string kernel;  // uname -r
  std::string host;
  std::vector<std::string> command;  // what was recorded
  Nanos start_timestamp = 0;         // on the event clock
  std::string setpgid_probe;         // how setpgid/setsid were traced ("fexit", "tp_btf/sys_exit", ...)
  std::string source;                // strace import: the log file(s)
  std::map<std::string, std::string> extra;  // keys we do not know, kept for round trips

  std::int64_t wall_clock_ns(Nanos ts) const;
};

// Nanoseconds since the Unix epoch of an event timestamp. Saturates rather
// than wraps: the offset comes from a file and may hold anything.
inline std::int64_t wall_clock_ns(Nanos ts, std::int64_t clock_offset_ns) {
  std::int64_t wall = 0;
  if (__builtin_add_overflow(ts, clock_offset_ns, &wall)) return clock_offset_ns < 0 ? INT64_MIN : INT64_MAX;
  return wall;
}
inline std::int64_t Meta::wall_clock_ns(Nanos ts) const { return proctrace::wall_clock_ns(ts, clock_offset_ns); }

struct Stats {
  std::map<std::string, std::uint64_t> events;  // per variant name
  std::map<std::string, std::uint64_t> lost;    // per cause ("ringbuf_full", "argv_read", ...)
  std::uint64_t truncated_argv = 0;
  std::vector<Pid> alive_at_end;  // tracked processes still running when recording stopped
  Nanos end_timestamp = 0;
  std::optional<int> root_status;  // shell-style exit status of the recorded command
  std::map<std::string, std::string> extra;

  std::uint64_t total_lost() const {
    std::uint64_t n = 0;
    for (auto& [_, v] : lost) n += v;
    return n;
  }
};

}  // namespace proctrace
