// `proctrace why`: the verdict and its evidence. The snapshot parts (who
// holds the job's pipes, what the live processes wait on) come from
// why_wait_for.cpp; the failure chain comes from the events.
#include "analyze/why.h"

#include <cstdio>
#include <unordered_map>

#include "render/command_text.h"

namespace proctrace {

namespace {

constexpr std::size_t kListed = 10;  // processes listed per finding before "... and N more"

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, s < 10 ? "%.1f s" : "%.0f s", s);
  return buf;
}

std::string status_text(const ExitStatus& s) {
  if (s.signal) return "was killed by signal " + std::to_string(*s.signal) + (s.core_dumped ? " (core dumped)" : "");
  if (s.code) return "exited " + std::to_string(*s.code);
  return "exited (status not recorded)";
}

class Namer {
 public:
  Namer(const Trace& trace, const ProcSnapshot* snap) : trace_(trace), snap_(snap) {
    zero_ = trace.has_meta && trace.meta.start_timestamp ? trace.meta.start_timestamp : trace.tree.first_timestamp();
    for (auto& p : trace.tree.processes()) {
      if (!p.exited()) alive_[p.pid] = p.index;
      if (snap) by_pid_[p.pid].push_back(p.index);
    }
  }
  Nanos zero() const { return zero_; }
  double since_start(Nanos ts) const { return ts > zero_ ? (ts - zero_) / 1e9 : 0; }

  WhyProcess of(const Process& p) const {
    WhyProcess w;
    w.pid = p.pid;
    const auto* argv = p.command();
    w.command = argv ? short_command(*argv) : "?";
    w.started_s = since_start(p.start);
    w.index = p.index;
    if (p.parent != kNoProcess) {
      const Process& parent = trace_.tree[p.parent];
      w.parent_pid = parent.pid;
      const auto* pargv = parent.command();
      w.parent_command = pargv ? short_command(*pargv) : "?";
    }
    return w;
  }

  WhyProcess of(const SnapshotProcess& s) const {
    WhyProcess w;
    ProcessIndex at = s.in_subtree ? at_snapshot(s.pid) : kNoProcess;
    if (at != kNoProcess) w = of(trace_.tree[at]);
    w.pid = s.pid;
    w.in_subtree = s.in_subtree;
    // The recording knows what the process ran after the snapshot (a child
    // caught between fork and exec runs its program a moment later): its
    // last program names it; the snapshot's cmdline only when it has none.
    bool named = !w.command.empty() && w.command != "?";
    if (!named && !s.cmdline.empty()) w.command = short_command(s.cmdline);
    else if (!named && s.comm.empty() && at != kNoProcess && trace_.tree[at].attached)
      w.command = "(" + std::string(Process::kAttachedLabel) + ")";  // strace -p: no exec, no /proc to ask
    else if (!named) w.command = "[" + s.comm + "]";
    if (!w.started_s && s.start_timestamp) w.started_s = since_start(s.start_timestamp);
    return w;
  }

 private:
  // The process that had pid when the snapshot was taken: the last one
  // started by then (pids are reused; one the timeout killed has exited
  // since), else the one still alive at the end.
  ProcessIndex at_snapshot(Pid pid) const {
    ProcessIndex found = kNoProcess;
    if (auto it = by_pid_.find(pid); it != by_pid_.end())
      for (ProcessIndex i : it->second)
        if (trace_.tree[i].start <= snap_->timestamp) found = i;
    if (found == kNoProcess)
      if (auto it = alive_.find(pid); it != alive_.end()) found = it->second;
    return found;
  }

  const Trace& trace_;
  const ProcSnapshot* snap_;
  Nanos zero_ = 0;
  std::unordered_map<Pid, ProcessIndex> alive_;
  std::unordered_map<Pid, std::vector<ProcessIndex>> by_pid_;  // with a snapshot only
};

const Process* root_process(const Trace& trace, Pid root_pid) {
  const Process* first = nullptr;
  for (ProcessIndex i : trace.tree.roots()) {
    const Process& p = trace.tree[i];
    if (!first) first = &p;
    if (root_pid && p.pid == root_pid) return &p;
  }
  return first;
}

std::vector<HeldStream> held_stdio(const ProcSnapshot& snap, const Namer& namer) {
  std::vector<HeldStream> out;
  static const char* kNames[] = {"stdin", "stdout", "stderr"};
  for (auto& job_fd : snap.job_stdio) {
    if (!job_fd.is_channel() || job_fd.fd < 0 || job_fd.fd > 2) continue;
    HeldStream held;
    held.stream = kNames[job_fd.fd];
    held.target = job_fd.target;
    // Only the end that keeps the job waiting: writers of its stdout/stderr
    // (the reader, a `| cat`, is waiting too), readers of its stdin.
    char other_end = job_fd.fd == 0 ? 'w' : 'r';
    for (auto& p : snap.processes)
      for (auto& f : p.fds)
        if (f.same_object(job_fd) && f.access != other_end) held.holders.push_back({namer.of(p), f.fd});
    // Two of the job's fds on one pipe (2>&1) are one finding.
    bool repeat = false;
    for (auto& h : out)
      if (h.target == held.target) {
        h.stream += "+" + held.stream;
        repeat = true;
      }
    if (!repeat && !held.holders.empty()) out.push_back(std::move(held));
  }
  return out;
}

std::string holder_text(const StdioHolder& h) {
  std::string s = "pid " + std::to_string(h.process.pid) + " `" + h.process.command + "` (fd " + std::to_string(h.fd);
  if (!h.process.in_subtree) s += ", outside the recorded tree";
  else if (!h.process.parent_command.empty()) s += ", inherited from `" + h.process.parent_command + "`";
  if (h.process.started_s) s += ", started " + seconds_text(*h.process.started_s) + " in";
  return s + ")";
}

// From the failed root down: at each level the child whose failure the
// parent passed on (same status), else the last failed child.
std::optional<Failure> find_failure(const Trace& trace, const Process& root, const Namer& namer) {
  if (!root.exit.known() || root.exit.success()) return std::nullopt;
  std::vector<const Process*> path{&root};
  for (;;) {
    const Process& at = *path.back();
    const Process* pick = nullptr;
    for (ProcessIndex c : at.children) {
      const Process& child = trace.tree[c];
      if (!child.exit.known() || child.exit.success()) continue;
      if (child.exit.shell_status() == at.exit.shell_status()) pick = &child;
      else if (!pick || (pick->exit.shell_status() != at.exit.shell_status() && child.end > pick->end)) pick = &child;
    }
    if (!pick) break;
    path.push_back(pick);
  }
  Failure f;
  const Process& culprit = *path.back();
  f.process = namer.of(culprit);
  f.status = culprit.exit;
  f.failed_exec = (culprit.failed_execs > 0 && !culprit.execed()) ||
                  (culprit.exit.code == 127 && !culprit.execed() && culprit.forked_in_recording);
  for (auto it = path.rbegin() + 1; it != path.rend(); ++it) f.ancestors.push_back({namer.of(**it), (*it)->exit});
  return f;
}

const ProcSnapshot* pick_snapshot(const Trace& trace) {
  const ProcSnapshot* best = nullptr;
  for (auto& s : trace.snapshots) {
    if (s.reason == "timeout") return &s;
    if (!best || best->reason != "root-exited") best = &s;
  }
  return best;
}

void add_stuck_lines(WhyReport& r) {
  std::size_t shown = 0;
  for (auto& s : r.stuck) {
    if (++shown > kListed) {
      r.headline.push_back("  ... and " + std::to_string(r.stuck.size() - kListed) + " more (--json lists all)");
      break;
    }
    std::string what = s.edge ? s.edge->how + s.edge->holders_text : s.doing;
    r.headline.push_back("  pid " + std::to_string(s.process.pid) + " `" + s.process.command + "` " + what);
  }
  for (auto& c : r.chains) r.headline.push_back((r.deadlock ? "deadlock: " : "wait-for chain: ") + c);
}

}  // namespace

WhyReport explain(const Trace& trace) {
  WhyReport r;
  const ProcSnapshot* snap = pick_snapshot(trace);
  Namer namer(trace, snap);
  const Process* root = root_process(trace, snap ? snap->root : 0);
  if (root && root->exited()) {
    r.command_seconds = namer.since_start(*root->end);
    r.root_status = root->exit;
  }
  if (snap) {
    r.snapshot_reason = snap->reason;
    r.held = held_stdio(*snap, namer);
    r.stuck = stuck_processes(*snap, [&](const SnapshotProcess& p) { return namer.of(p); });
    r.chains = wait_chains(r.stuck, r.deadlock);
  }
  double at = snap ? namer.since_start(snap->timestamp) : 0;
  std::string alive = std::to_string(r.stuck.size()) + (r.stuck.size() == 1 ? " process" : " processes");

  if (snap && snap->reason == "timeout") {
    r.verdict = "timeout";
    r.headline.push_back("timeout: the recording's --timeout stopped the command after " + seconds_text(at) + "; " +
                         alive + " still alive:");
    add_stuck_lines(r);
  }
  if (!r.held.empty() && r.command_seconds) {
    if (r.verdict.empty()) r.verdict = "hang";
    for (auto& h : r.held) {
      std::string n = std::to_string(h.holders.size());
      std::string line = "hang: the command exited after " + seconds_text(*r.command_seconds) + ", but " + n +
                         (h.holders.size() == 1 ? " process" : " processes") + " kept its " + h.stream + " (" +
                         h.target + ") open: ";
      for (std::size_t i = 0; i < h.holders.size() && i < kListed; ++i) line += (i ? "; " : "") + holder_text(h.holders[i]);
      if (h.holders.size() > kListed) line += "; ... and " + std::to_string(h.holders.size() - kListed) + " more";
      r.headline.push_back(line);
    }
  } else if (snap && (snap->reason == "root-exited" || (snap->reason == "log-ended" && r.command_seconds)) &&
             !r.stuck.empty()) {
    r.verdict = "left-running";
    r.headline.push_back("the command exited after " + seconds_text(r.command_seconds.value_or(at)) + " and left " +
                         alive + " running (none holds its stdout or stderr):");
    add_stuck_lines(r);
  } else if (snap && r.verdict.empty() && snap->reason == "log-ended") {
    r.verdict = "running";
    // strace -p: the log ends when strace detaches, from work it never started.
    std::string what = root && root->attached ? "the processes it attached to" : "the command";
    r.headline.push_back("the strace log ends after " + seconds_text(at) + " with " + what + " still running; " +
                         alive + " alive:");
    add_stuck_lines(r);
  } else if (snap && r.verdict.empty() && snap->reason != "root-exited") {
    r.verdict = "interrupted";
    r.headline.push_back("interrupted: the recorder got " + snap->reason + " after " + seconds_text(at) + "; " +
                         alive + " alive:");
    add_stuck_lines(r);
  }

  if (root) r.failure = r.verdict == "timeout" ? std::nullopt : find_failure(trace, *root, namer);
  if (r.failure) {
    if (r.verdict.empty()) r.verdict = "failure";
    const Failure& f = *r.failure;
    r.headline.push_back("failure: the command " + status_text(*r.root_status) + " after " +
                         seconds_text(r.command_seconds.value_or(0)) + "; the first failure: pid " +
                         std::to_string(f.process.pid) + " `" + f.process.command + "` " +
                         (f.failed_exec ? "could not exec its program (failed exec), " : "") + status_text(f.status) +
                         (f.process.started_s ? ", started " + seconds_text(*f.process.started_s) + " in" : ""));
    for (auto& [p, s] : f.ancestors)
      r.headline.push_back("  <- pid " + std::to_string(p.pid) + " `" + p.command + "` " + status_text(s));
  }
  if (r.verdict.empty()) {
    if (root && root->exited()) {
      r.verdict = "ok";
      r.headline.push_back("ok: the command " + status_text(root->exit) + " after " +
                           seconds_text(r.command_seconds.value_or(0)) + ", and nothing was left running");
    } else {
      r.verdict = "running";
      r.headline.push_back("the command was still running when the recording stopped (no snapshot in the recording)");
    }
  }
  // A log that ends with every process exited has no snapshot: what it
  // says stays what it said before logs had one.
  if (trace.from_strace && !snap)
    r.headline.push_back("(an strace log: no /proc snapshot, so only exits and failures are explained)");
  else if (trace.from_strace)
    r.headline.push_back("(from the strace log: the calls and fds at its end, replayed from its lines; "
                         "fds are named with -yy, process states and holders outside the log are unknown)");
  if (trace.from_strace && snap && snap->truncated)
    r.headline.push_back("(the log opened more fds than are replayed: some holders may be missing)");
  return r;
}

}  // namespace proctrace
