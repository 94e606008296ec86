// The state at the end of an strace log, as a snapshot (reason
// "log-ended"), so that `proctrace why`, the tree and the HTML report
// explain a log as they explain a recording: the processes with no exit in
// the log, the call each was inside when it ended (its "<unfinished ...>"
// line), and the fds each held, replayed from the log (fd_replay.h; pipes
// are named with -yy). What /proc would add (state, wchan, holders outside
// the traced tree) is not in a log and stays unknown.
#pragma once

#include <optional>

#include "import/fd_replay.h"
#include "import/syscall_table.h"
#include "model/proc_snapshot.h"
#include "model/process_tree.h"

namespace proctrace::strace {

// Nothing when every process of the log exited.
std::optional<ProcSnapshot> snapshot_at_log_end(const ProcessTree& tree, const SyscallTable& table);
// The same from a replay of the whole log already made (exec_fds.h makes
// one on its way through the log).
std::optional<ProcSnapshot> snapshot_at_log_end(const ProcessTree& tree, const SyscallTable& table,
                                                const FdReplay& replayed);

}  // namespace proctrace::strace
