// Which syscalls count as waiting rather than working, for the summary's
// active / wait split. Waiting means the call's time is spent blocked until
// something outside the process happens: another process, a timer, a signal,
// a peer on a pipe or socket. Everything else is active time (the kernel
// working for the process: opening files, mapping memory, reading disk).
//
// Always waiting (by name):
//   select _newselect pselect6 pselect6_time64 poll ppoll ppoll_time64
//   epoll_wait epoll_pwait epoll_pwait2  futex futex_time64 futex_waitv
//   nanosleep clock_nanosleep clock_nanosleep_time64 pause
//   wait4 waitid waitpid  rt_sigsuspend sigsuspend rt_sigtimedwait
//   rt_sigtimedwait_time64  accept accept4  io_getevents io_pgetevents
//   io_pgetevents_time64  msgrcv mq_timedreceive semop semtimedop
//   restart_syscall (an interrupted wait resumed by the kernel)
// A waiting call that never returned (the process was killed inside it) but
// whose time is known waited until then: wait time, though strace's -C table
// does not count the call.
// Waiting when the fd is not a regular file or disk (needs -y so strace
// names the fd): read readv recvfrom recvmsg recvmmsg recv on a pipe, socket,
// eventfd/timerfd/signalfd or terminal ("pipe:[..]", "TCP:[..]",
// "anon_inode:[eventfd]", "/dev/pts/3") — the reader sleeps until a writer
// or peer sends something, e.g. make on its jobserver pipe.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace proctrace {

enum class WaitKind : std::uint8_t {
  Active,
  Wait,
  WaitOnStream,  // a read-family call: waiting when its fd is a stream
};

WaitKind wait_kind(std::string_view syscall);
// True when an fd path from -y names something a read can sleep on.
bool is_stream_path(std::string_view fd_path);
// Resolves a call's kind for its fd path.
inline bool is_waiting(WaitKind kind, std::string_view fd_path) {
  return kind == WaitKind::Wait || (kind == WaitKind::WaitOnStream && is_stream_path(fd_path));
}

}  // namespace proctrace
