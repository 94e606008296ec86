// The recording clock (CLOCK_BOOTTIME, what bpf_ktime_get_boot_ns() reads)
// and its offset to wall-clock time.
#pragma once

#include <cstdint>
#include <ctime>

#include "model/event.h"

namespace proctrace {

inline Nanos clock_now_ns(clockid_t clock) {
  timespec ts;
  clock_gettime(clock, &ts);
  return static_cast<Nanos>(ts.tv_sec) * 1'000'000'000u + static_cast<Nanos>(ts.tv_nsec);
}

// CLOCK_REALTIME minus CLOCK_BOOTTIME (Meta.clock_offset_ns), read between
// two boot-time readings so the error is half their distance.
inline std::int64_t realtime_minus_boottime() {
  Nanos before = clock_now_ns(CLOCK_BOOTTIME);
  Nanos real = clock_now_ns(CLOCK_REALTIME);
  Nanos after = clock_now_ns(CLOCK_BOOTTIME);
  return static_cast<std::int64_t>(real) - static_cast<std::int64_t>(before + (after - before) / 2);
}

}  // namespace proctrace
