// The wait-for part of `proctrace why`: from a /proc snapshot, what each live
// process is blocked on and which processes could release it, then the
// chains ("make waits for cc, which blocks reading a pipe whose write end
// only sleep holds") and the cycles among them (deadlocks).
#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "analyze/why.h"

namespace proctrace {

namespace {

bool is_one_of(std::string_view name, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string state_text(char state) {
  switch (state) {
    case 'R': return "running";
    case 'S': return "sleeping";
    case 'D': return "in uninterruptible sleep (D)";
    case 'T': return "stopped";
    case 't': return "stopped by a tracer";
    case 'Z': return "a zombie";
    case 'I': return "idle";
    case '?': return "alive, state unknown";  // an strace log records no state
  }
  return std::string("in state ") + state;
}

std::string quoted(const WhyProcess& p) {
  std::string s = "pid " + std::to_string(p.pid) + " (`" + p.command + "`";
  if (!p.in_subtree) s += ", outside the recorded tree";
  return s + ")";
}

std::string pid_list(const std::vector<const SnapshotProcess*>& procs,
                     const std::function<WhyProcess(const SnapshotProcess&)>& name) {
  std::string s;
  for (std::size_t i = 0; i < procs.size(); ++i) {
    if (i) s += i + 1 == procs.size() ? " and " : ", ";
    s += quoted(name(*procs[i]));
  }
  return s;
}

// The other processes holding `object` with the access that would release
// a process waiting on it ('w' for a reader waiting, 'r' for a writer).
std::vector<const SnapshotProcess*> holders(const ProcSnapshot& snap, const SnapshotFd& object, char needed,
                                            const SnapshotProcess* self, bool& self_holds) {
  std::vector<const SnapshotProcess*> out;
  self_holds = false;
  for (auto& p : snap.processes) {
    bool holds = false;
    for (auto& f : p.fds) {
      bool same = object.inode ? f.same_object(object) : (f.kind == FdKind::Fifo && f.target == object.target);
      if (same && (f.access == needed || f.access == 'u' || f.access == '?')) holds = true;
    }
    if (!holds) continue;
    if (&p == self) self_holds = true;
    else out.push_back(&p);
  }
  return out;
}

std::string holders_text(const std::vector<const SnapshotProcess*>& procs, bool self_holds, const char* end,
                         const std::function<WhyProcess(const SnapshotProcess&)>& name) {
  std::string s;
  if (procs.empty()) {
    s = std::string(", whose ") + end + " end no other process holds";
    if (self_holds) s += " (it holds it itself, so it waits for itself)";
    else s = std::string(", whose ") + end + " end no process holds";
    return s;
  }
  s = std::string(", whose ") + end + " end " + (procs.size() == 1 ? "only " : "") + pid_list(procs, name) +
      (procs.size() == 1 ? " holds" : " hold");
  if (self_holds) s += " (and itself)";
  return s;
}

std::vector<Pid> pids_of(const std::vector<const SnapshotProcess*>& procs) {
  std::vector<Pid> out;
  for (auto* p : procs) out.push_back(p->pid);
  return out;
}

std::optional<WaitEdge> edge_of(const ProcSnapshot& snap, const SnapshotProcess& p,
                                const std::function<WhyProcess(const SnapshotProcess&)>& name) {
  if (!p.syscall || p.syscall->name.empty()) return std::nullopt;
  const BlockedSyscall& call = *p.syscall;
  auto arg = [&](std::size_t i) { return i < call.args.size() ? call.args[i] : 0; };
  const std::string& n = call.name;
  WaitEdge edge;
  if (is_one_of(n, {"wait4", "waitid"})) {
    std::vector<const SnapshotProcess*> children;
    for (auto& c : snap.processes)
      if (c.ppid == p.pid && c.in_subtree) children.push_back(&c);
    edge.how = children.size() == 1 ? "waits for its child " + pid_list(children, name)
               : children.empty()   ? "waits for a child (none alive at the snapshot)"
                                    : "waits for its children " + pid_list(children, name);
    edge.waits_for = pids_of(children);
    return edge;
  }
  bool reading = is_one_of(n, {"read", "readv", "pread64", "recvfrom", "recvmsg"});
  bool writing = is_one_of(n, {"write", "writev", "pwrite64", "sendto", "sendmsg"});
  if (reading || writing) {
    int fd = static_cast<int>(arg(0));
    const SnapshotFd* f = p.find_fd(fd);
    std::string what = f ? f->target : "fd " + std::to_string(fd);
    edge.how = std::string("blocks ") + (reading ? "reading " : "writing ") + what;
    if (f) edge.how += " (fd " + std::to_string(fd) + ")";
    if (f && (f->kind == FdKind::Pipe || f->kind == FdKind::Fifo)) {
      bool self_holds = false;
      auto others = holders(snap, *f, reading ? 'w' : 'r', &p, self_holds);
      edge.holders_text = holders_text(others, self_holds, reading ? "write" : "read", name);
      edge.waits_for = pids_of(others);
    } else if (f && f->kind == FdKind::Tty) {
      edge.how = std::string(reading ? "waits for terminal input on " : "blocks writing to the terminal ") +
                 f->target;
    }
    return edge;
  }
  if (is_one_of(n, {"open", "openat", "openat2", "creat"})) {
    std::string path = call.path.empty() ? "a file" : call.path;
    std::uint64_t flags = n == "openat" ? arg(2) : n == "open" ? arg(1) : 0;
    bool for_write = (flags & 3) == 1;
    bool fifo = call.fifo || p.wchan.find("fifo") != std::string::npos || p.wchan.find("partner") != std::string::npos ||
                p.wchan.find("pipe") != std::string::npos;
    edge.how = std::string("blocks opening ") + (fifo ? "the fifo " : "") + path +
               (n == "creat" ? "" : for_write ? " for writing" : " for reading");
    if (fifo && !call.path.empty()) {
      SnapshotFd object;
      object.kind = FdKind::Fifo;
      object.target = call.path;
      bool self_holds = false;
      auto others = holders(snap, object, for_write ? 'r' : 'w', &p, self_holds);
      edge.waits_for = pids_of(others);
      edge.holders_text = others.empty() ? std::string(", which no process has open for ") +
                                               (for_write ? "reading" : "writing")
                                         : ", which " + pid_list(others, name) + " has open";
    }
    return edge;
  }
  if (is_one_of(n, {"accept", "accept4"})) {
    const SnapshotFd* f = p.find_fd(static_cast<int>(arg(0)));
    edge.how = "waits for a connection on " + (f ? f->target : "a socket");
    return edge;
  }
  if (n == "connect") edge.how = "blocks connecting a socket";
  else if (is_one_of(n, {"nanosleep", "clock_nanosleep"})) edge.how = "sleeps (" + n + ")";
  else if (is_one_of(n, {"poll", "ppoll", "select", "pselect6", "epoll_wait", "epoll_pwait"}))
    edge.how = "waits in " + n + "() for one of its fds";
  else if (n == "futex") edge.how = "waits on a futex (a lock or condition inside the process)";
  else if (is_one_of(n, {"flock", "fcntl"})) edge.how = "waits for a file lock (" + n + ")";
  else if (is_one_of(n, {"pause", "rt_sigsuspend", "rt_sigtimedwait"})) edge.how = "waits for a signal";
  else edge.how = "blocks in " + n + "()";
  return edge;
}

std::string doing_text(const SnapshotProcess& p) {
  std::string s = state_text(p.state);
  if (p.syscall && p.syscall->known()) {
    std::string name = p.syscall->name.empty() ? "syscall " + std::to_string(p.syscall->nr) : p.syscall->name;
    s += " in " + name + "()";
  }
  if (!p.wchan.empty()) s += ", kernel wchan " + p.wchan;
  return s;
}

}  // namespace

std::vector<StuckProcess> stuck_processes(const ProcSnapshot& snap,
                                          const std::function<WhyProcess(const SnapshotProcess&)>& name) {
  std::vector<StuckProcess> out;
  for (auto& p : snap.processes) {
    if (!p.in_subtree) continue;
    StuckProcess s;
    s.process = name(p);
    s.state = p.state;
    s.doing = doing_text(p);
    if (p.state == 'Z') {
      WaitEdge e;
      e.how = "is a zombie: exited, not yet reaped by its parent pid " + std::to_string(p.ppid);
      s.edge = e;
    } else if (p.state == 'T' || p.state == 't') {
      WaitEdge e;
      e.how = p.state == 'T' ? "is stopped (SIGSTOP/SIGTSTP), waiting for SIGCONT" : "is stopped by a tracer";
      s.edge = e;
    } else {
      s.edge = edge_of(snap, p, name);
      if (p.state == 'D') {
        if (!s.edge) s.edge = WaitEdge{};
        s.edge->how = "is in uninterruptible sleep (D)" + (p.wchan.empty() ? "" : " in " + p.wchan) +
                      (s.edge->how.empty() ? "" : ", " + s.edge->how);
      }
    }
    if (!s.edge && p.state == 'R') s.edge = WaitEdge{"is running on a CPU", {}, ""};
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<std::string> wait_chains(const std::vector<StuckProcess>& stuck, bool& deadlock) {
  deadlock = false;
  std::map<Pid, const StuckProcess*> by_pid;
  std::set<Pid> waited_on;
  for (auto& s : stuck) by_pid[s.process.pid] = &s;
  for (auto& s : stuck)
    if (s.edge)
      for (Pid w : s.edge->waits_for) waited_on.insert(w);

  std::vector<std::string> chains;
  std::set<Pid> covered;
  auto walk = [&](const StuckProcess& start) {
    std::string text = quoted(start.process);
    std::vector<Pid> path;
    const StuckProcess* at = &start;
    for (bool first = true; at; first = false) {
      path.push_back(at->process.pid);
      covered.insert(at->process.pid);
      text += first ? " " : ", which ";
      text += at->edge ? at->edge->how + at->edge->holders_text : at->doing;
      const StuckProcess* next = nullptr;
      if (at->edge)
        for (Pid w : at->edge->waits_for) {
          if (std::find(path.begin(), path.end(), w) != path.end()) {
            text += ": a deadlock, every process of this cycle waits for the next";
            deadlock = true;
            chains.push_back(text);
            return;
          }
          auto it = by_pid.find(w);
          if (it != by_pid.end()) {
            next = it->second;
            break;
          }
        }
      // A process named in the edge text is only worth a step if it adds something.
      if (next && !next->edge) {
        text += ", which is " + next->doing;
        break;
      }
      at = next;
    }
    if (path.size() > 1 || (start.edge && !start.edge->holders_text.empty())) chains.push_back(text);
  };
  for (auto& s : stuck)
    if (s.edge && !s.edge->waits_for.empty() && !waited_on.count(s.process.pid)) walk(s);
  // Cycles have no start nobody waits on: begin at their lowest pid.
  for (auto& s : stuck)
    if (s.edge && !s.edge->waits_for.empty() && !covered.count(s.process.pid)) walk(s);
  return chains;
}

}  // namespace proctrace
