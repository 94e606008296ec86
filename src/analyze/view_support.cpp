#include "analyze/analyze_views.h"
#include "import/syscall_table.h"
#include "io/input_file.h"

namespace proctrace {

void require_syscalls(const Trace& trace, const char* view) {
  if (!trace.syscalls)
    throw InputError(std::string(view) +
                     " needs an strace log (strace -f -T -y ...): the input is a recording of lifecycle events only");
}

}  // namespace proctrace
