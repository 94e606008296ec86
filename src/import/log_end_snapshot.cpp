// Builds the end-of-log snapshot of an strace log (see log_end_snapshot.h).
#include "import/log_end_snapshot.h"

#include <unordered_map>

#include "import/fd_replay.h"
#include "import/strace_args.h"

namespace proctrace::strace {

namespace {

// A syscall argument as the number the kernel saw, for the few uses `why`
// makes of them (an fd, openat's dirfd, the access mode of open flags).
std::uint64_t arg_value(std::string_view arg) {
  std::size_t digits = 0;
  while (digits < arg.size() && arg[digits] >= '0' && arg[digits] <= '9') ++digits;
  if (auto n = parse_int(arg.substr(0, digits ? digits : arg.size()))) return static_cast<std::uint64_t>(*n);
  if (arg.substr(0, 8) == "AT_FDCWD") return static_cast<std::uint64_t>(-100);
  if (arg.find("O_RDWR") != std::string_view::npos) return 2;
  if (arg.find("O_WRONLY") != std::string_view::npos) return 1;
  return 0;
}

BlockedSyscall blocked_in(const SyscallRecord& r, std::string_view name, const FdReplay& replay) {
  BlockedSyscall call;
  call.nr = -1;  // a log names calls, it does not number them
  call.name = std::string(name);
  std::string_view args = r.args();
  for (std::size_t i = 0; i < 6; ++i) {
    std::string_view a = nth_arg(args, i);
    if (a.empty()) break;
    call.args.push_back(arg_value(a));
  }
  if (name == "open" || name == "creat") call.path = resolved_path("", nth_arg(args, 0));
  else if (name == "openat" || name == "openat2") call.path = resolved_path(nth_arg(args, 0), nth_arg(args, 1));
  call.fifo = !call.path.empty() && replay.is_fifo(call.path);
  return call;
}

bool ends_the_process(std::string_view name) { return name == "exit" || name == "exit_group"; }

}  // namespace

std::optional<ProcSnapshot> snapshot_at_log_end(const ProcessTree& tree, const SyscallTable& table) {
  FdReplay replay(table);
  for (std::uint32_t i : table.order_by_start()) replay.apply(table.at(i));
  return snapshot_at_log_end(tree, table, replay);
}

std::optional<ProcSnapshot> snapshot_at_log_end(const ProcessTree& tree, const SyscallTable& table,
                                                const FdReplay& replay) {
  std::unordered_map<Pid, std::uint32_t> last_call;  // by tid: its last record
  Nanos end = tree.last_timestamp();
  for (std::uint32_t i : table.order_by_start()) {
    const SyscallRecord& r = table.at(i);
    last_call[r.tid] = i;
    end = std::max(end, r.has_duration() ? r.start + r.duration : r.start);
  }

  ProcSnapshot snap;
  snap.reason = "log-ended";
  snap.timestamp = end;
  snap.truncated = replay.truncated();
  auto roots = tree.roots();
  if (!roots.empty()) snap.root = tree[roots.front()].pid;
  for (auto& [fd, slot] : replay.initial_stdio()) {
    if (fd > 2 || !slot.file || !slot.file->known) continue;
    SnapshotFd f = slot.file->identity;
    f.fd = fd;
    snap.job_stdio.push_back(std::move(f));
  }
  for (const Process& p : tree.processes()) {
    if (p.exited()) continue;
    SnapshotProcess s;
    s.pid = p.pid;
    s.ppid = p.ppid;
    s.pgid = p.pgid();
    s.sid = p.sid();
    s.start_timestamp = p.start;
    if (const auto* argv = p.command()) {
      s.cmdline = argv->to_vector();
      if (!argv->empty()) s.comm = std::string(argv->front().substr(argv->front().rfind('/') + 1));
    }
    if (auto it = last_call.find(p.pid); it != last_call.end()) {
      const SyscallRecord& r = table.at(it->second);
      std::string_view name = table.name(r.name);
      if (!r.returned() && !ends_the_process(name)) s.syscall = blocked_in(r, name, replay);
    }
    if (const FdTable* fds = replay.table(p.pid))
      for (auto& [fd, slot] : *fds) {
        if (!slot.file || !slot.file->known) continue;  // never named in the log: nothing to match it by
        SnapshotFd f = slot.file->identity;
        f.fd = fd;
        s.fds.push_back(std::move(f));
      }
    snap.processes.push_back(std::move(s));
  }
  if (snap.processes.empty()) return std::nullopt;
  return snap;
}

}  // namespace proctrace::strace
