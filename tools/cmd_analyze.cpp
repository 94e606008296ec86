#include "tools/commands.h"

namespace proctrace::cli {

// Syscall analyses on strace logs (summary, list-pids, pid, exec, files, ...).
void add_analyze_commands(CLI::App&, ExitCodeSlot&) {}

}  // namespace proctrace::cli
