#include "import/exec_fds.h"

#include <memory>
#include <utility>


namespace proctrace::strace {

std::vector<ExecFdTable> fds_at_execs(const SyscallTable& table) {
  FdReplay replay(table);
  return fds_at_execs(table, replay);
}

std::vector<ExecFdTable> fds_at_execs(const SyscallTable& table, FdReplay& replay) {
  // The open files each exec kept, resolved to text only at the end: a
  // file a later line names is named here too.
  struct Kept {
    Pid pid;
    Nanos timestamp;
    std::vector<std::pair<int, std::shared_ptr<OpenFile>>> files;
    std::uint32_t cut;
  };
  std::vector<Kept> kept;
  std::size_t budget = FdReplay::kMaxLiveFds;
  for (std::uint32_t i : table.order_by_start()) {
    const SyscallRecord& r = table.at(i);
    replay.apply(r);
    if (!r.returned() || r.has(SyscallRecord::kRetUnknown) || r.failed() || r.ret != 0) continue;
    std::string_view name = table.name(r.name);
    if (name != "execve" && name != "execveat") continue;
    const FdTable* fds = replay.table(r.tid);
    if (!fds) continue;
    // Past the budget the table is counted, not walked: O(1) per exec.
    Kept k{r.tid, r.start, {}, 0};
    std::size_t walked = 0;
    for (auto it = fds->begin(); it != fds->end() && budget > 0; ++it, ++walked) {
      if (!it->second.file) continue;
      k.files.emplace_back(it->first, it->second.file);
      --budget;
    }
    k.cut = static_cast<std::uint32_t>(fds->size() - walked);
    kept.push_back(std::move(k));
  }
  std::vector<ExecFdTable> out;
  out.reserve(kept.size());
  for (Kept& k : kept) {
    ExecFdTable t{k.pid, k.timestamp, {}, k.cut};
    t.fds.reserve(k.files.size());
    for (auto& [fd, file] : k.files) {
      OpenFd f;
      if (file->known) {
        f = file->identity;
      } else {
        f.target = "?";  // inherited from before the log, never named in it
        f.access = file->identity.access;
      }
      f.fd = fd;
      t.fds.push_back(std::move(f));
    }
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace proctrace::strace
