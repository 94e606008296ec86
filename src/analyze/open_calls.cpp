#include "analyze/open_calls.h"

namespace proctrace {

bool is_open_call(std::string_view syscall) { return open_call(syscall) != OpenCall::None; }

OpenedFile opened_file(const SyscallTable& table, const SyscallRecord& r, std::string& scratch) {
  OpenedFile f;
  if (r.returned() && !r.failed() && !r.has(SyscallRecord::kRetUnknown)) f.resolved = r.fd_path();
  auto args = parse_open_args(open_call(table.name(r.name)), r.args());
  if (!args) {
    scratch.assign(f.resolved);
    f.path = scratch;
    f.known = !f.resolved.empty();
    return f;
  }
  resolve_path(scratch, args->dir, args->path);
  f.path = scratch;
  f.truncated = args->truncated;
  f.known = true;
  return f;
}

}  // namespace proctrace
