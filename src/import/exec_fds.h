// The descriptors each successful execve of an strace log kept — what the
// new program inherited — replayed from the log (fd_replay.h): the strace
// counterpart of the eBPF recorder's Exec "fds". Identities come from -yy
// decorations anywhere in the log, so a pipe first named after the exec is
// still named; an fd the log never names keeps an unknown identity.
#pragma once

#include <cstdint>
#include <vector>

#include "import/fd_replay.h"
#include "import/syscall_table.h"
#include "model/open_fd.h"

namespace proctrace::strace {

struct ExecFdTable {
  Pid pid = 0;         // the thread that called execve
  Nanos timestamp = 0;  // the call's start: its Exec event's time
  std::vector<OpenFd> fds;  // by fd number
  std::uint32_t cut = 0;    // left out past the bound below
};

// Every execve/execveat that returned 0, in time order. Empty when the
// log has none. At most FdReplay::kMaxLiveFds fds are kept over all execs
// (a hostile log could exec many times with many fds open); past it, each
// exec's table counts what it left out.
std::vector<ExecFdTable> fds_at_execs(const SyscallTable& table);
// The same, replaying into `replay` (made on `table`): afterwards it holds
// the state at the log's end, for log_end_snapshot.h to read without a
// second replay.
std::vector<ExecFdTable> fds_at_execs(const SyscallTable& table, FdReplay& replay);

}  // namespace proctrace::strace
