#include "analyze/wait_calls.h"

#include <algorithm>
#include <array>

namespace proctrace {

namespace {

// restart_syscall: the kernel resuming an interrupted nanosleep/poll/futex
// wait after a signal handler (or at an attach mid-wait): still that wait.
constexpr std::array<std::string_view, 34> kWaitCalls = {
    "select",        "_newselect",      "pselect6",        "pselect6_time64",  "poll",
    "ppoll",         "ppoll_time64",    "epoll_wait",      "epoll_pwait",      "epoll_pwait2",
    "futex",         "futex_time64",    "futex_waitv",     "nanosleep",        "clock_nanosleep",
    "clock_nanosleep_time64", "pause",  "wait4",           "waitid",           "waitpid",
    "rt_sigsuspend", "sigsuspend",      "rt_sigtimedwait", "rt_sigtimedwait_time64", "accept",
    "accept4",       "io_getevents",    "io_pgetevents",   "io_pgetevents_time64", "msgrcv",
    "mq_timedreceive", "semop",         "semtimedop",      "restart_syscall",
};

constexpr std::array<std::string_view, 6> kStreamReads = {"read", "readv", "recvfrom", "recvmsg", "recvmmsg", "recv"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& set, std::string_view s) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

}  // namespace

WaitKind wait_kind(std::string_view syscall) {
  if (contains(kWaitCalls, syscall)) return WaitKind::Wait;
  if (contains(kStreamReads, syscall)) return WaitKind::WaitOnStream;
  return WaitKind::Active;
}

bool is_stream_path(std::string_view p) {
  if (p.empty()) return false;  // no -y: nothing tells a pipe from a file
  // Files and devices are absolute paths; pipes, sockets and anon inodes are
  // "type:[...]" (strace -y/-yy).
  if (p.front() != '/') return true;
  return p.starts_with("/dev/pts/") || p.starts_with("/dev/tty") || p == "/dev/ptmx" || p == "/dev/console";
}

}  // namespace proctrace
