// What a strace log says about which threads share a process, for the
// threads strace attached to with their process (`strace -f -p PID` of a
// multi-threaded process): the log shows no clone that ties them together.
// The parser writes these down; thread_groups.h weighs them.
#pragma once

#include <cstdint>

#include "model/event.h"

namespace proctrace::strace {

struct ThreadClue {
  enum Kind : std::uint8_t {
    // A FUTEX_WAIT*_PRIVATE on addr. outcome: kWoken (= 0), kOther (an
    // error: timeout, EAGAIN, a signal) or kUnknown (never returned: the
    // thread died or strace let go inside it).
    FutexWait,
    // A FUTEX_WAKE*_PRIVATE on addr that returned count >= 1: it woke that
    // many waiters, all in the caller's own process (a private futex word
    // is keyed by the address space).
    FutexWake,
    // A wait whose futex word the log does not show: restart_syscall (strace
    // names the interrupted call unreliably), or a futex's resumed half
    // without its entry. Any thread in one could be the one a wake woke.
    HiddenWait,
    // tid is a thread of process `other`: getpid() = other, tgkill(other,
    // tid, ...) = 0, a /proc/other/task/tid path that opened, or -y's
    // /proc/other/... for the /proc/self/... the thread opened.
    InGroup,
    // tid and other share a process: tid opened /proc/self/task/other/...
    // (thread-self too), which exists only for threads of the opener's process.
    SameGroup,
    // exit(): the end of one thread, not of its process (exit_group).
    ThreadExit,
  };
  static constexpr std::uint8_t kWoken = 0, kOther = 1, kUnknown = 2;
  // Where an InGroup or SameGroup clue came from.
  enum Source : std::uint8_t { FromGetpid, FromTgkill, FromProcPath };

  Kind kind = FutexWait;
  std::uint8_t outcome = kUnknown;
  Source source = FromProcPath;
  Pid tid = 0;
  Pid other = 0;
  std::uint32_t count = 0;  // FutexWake: waiters woken
  Nanos start = 0;          // the call's entry
  // Its return; kOpenEnd when the log does not say (no -T on a whole
  // line, never returned). Futex calls only.
  Nanos end = 0;
  std::uint64_t addr = 0;  // the futex word
  static constexpr Nanos kOpenEnd = ~Nanos{0};
};

}  // namespace proctrace::strace
