#include "record/syscall_names.h"

#include <sys/syscall.h>

namespace proctrace {

namespace {

struct Named {
  long nr;
  std::string_view name;
};

// SYS_* macros, so the table is right on every architecture; the ones an
// architecture lacks (x86-only open/poll/select/pause) are left out there.
constexpr Named kNames[] = {
    {SYS_read, "read"},
    {SYS_write, "write"},
    {SYS_readv, "readv"},
    {SYS_writev, "writev"},
    {SYS_pread64, "pread64"},
    {SYS_pwrite64, "pwrite64"},
    {SYS_openat, "openat"},
#ifdef SYS_open
    {SYS_open, "open"},
#endif
#ifdef SYS_creat
    {SYS_creat, "creat"},
#endif
#ifdef SYS_openat2
    {SYS_openat2, "openat2"},
#endif
    {SYS_close, "close"},
#ifdef SYS_poll
    {SYS_poll, "poll"},
#endif
    {SYS_ppoll, "ppoll"},
#ifdef SYS_select
    {SYS_select, "select"},
#endif
    {SYS_pselect6, "pselect6"},
#ifdef SYS_epoll_wait
    {SYS_epoll_wait, "epoll_wait"},
#endif
    {SYS_epoll_pwait, "epoll_pwait"},
    {SYS_wait4, "wait4"},
    {SYS_waitid, "waitid"},
#ifdef SYS_pause
    {SYS_pause, "pause"},
#endif
    {SYS_nanosleep, "nanosleep"},
    {SYS_clock_nanosleep, "clock_nanosleep"},
    {SYS_futex, "futex"},
    {SYS_flock, "flock"},
    {SYS_fcntl, "fcntl"},
    {SYS_accept, "accept"},
    {SYS_accept4, "accept4"},
    {SYS_connect, "connect"},
    {SYS_recvfrom, "recvfrom"},
    {SYS_recvmsg, "recvmsg"},
    {SYS_sendto, "sendto"},
    {SYS_sendmsg, "sendmsg"},
    {SYS_rt_sigsuspend, "rt_sigsuspend"},
    {SYS_rt_sigtimedwait, "rt_sigtimedwait"},
    {SYS_ioctl, "ioctl"},
    {SYS_msgrcv, "msgrcv"},
    {SYS_semop, "semop"},
    {SYS_execve, "execve"},
    {SYS_execveat, "execveat"},
    // A vfork parent sits in the clone (or vfork) call until its child
    // execs or exits, in D state.
    {SYS_clone, "clone"},
#ifdef SYS_clone3
    {SYS_clone3, "clone3"},
#endif
#ifdef SYS_vfork
    {SYS_vfork, "vfork"},
#endif
#ifdef SYS_fork
    {SYS_fork, "fork"},
#endif
    {SYS_io_getevents, "io_getevents"},
#ifdef SYS_io_uring_enter
    {SYS_io_uring_enter, "io_uring_enter"},
#endif
#ifdef SYS_epoll_pwait2
    {SYS_epoll_pwait2, "epoll_pwait2"},
#endif
    {SYS_mq_timedreceive, "mq_timedreceive"},
    {SYS_recvmmsg, "recvmmsg"},
    {SYS_fsync, "fsync"},
    {SYS_sync, "sync"},
    {SYS_splice, "splice"},
    {SYS_sendfile, "sendfile"},
    {SYS_copy_file_range, "copy_file_range"},
    {SYS_getdents64, "getdents64"},
    {SYS_newfstatat, "newfstatat"},
};

}  // namespace

std::string_view blocking_syscall_name(long nr) {
  for (const auto& n : kNames)
    if (n.nr == nr) return n.name;
  return {};
}

int syscall_path_arg(long nr) {
#ifdef SYS_open
  if (nr == SYS_open) return 0;
#endif
#ifdef SYS_creat
  if (nr == SYS_creat) return 0;
#endif
#ifdef SYS_openat2
  if (nr == SYS_openat2) return 1;
#endif
  if (nr == SYS_openat) return 1;
  return -1;
}

}  // namespace proctrace
