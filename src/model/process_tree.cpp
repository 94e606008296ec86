#include "model/process_tree.h"

#include <iterator>

namespace proctrace {

const Argv* Process::command() const {
  for (auto it = segments.rbegin(); it != segments.rend(); ++it)
    if (!it->argv.empty()) return &it->argv;
  return nullptr;
}

bool Process::execed() const {
  for (auto& s : segments)
    if (!s.inherited) return true;
  return false;
}

std::optional<ProcessIndex> ProcessTree::live(Pid pid) const {
  auto it = live_.find(pid);
  if (it == live_.end()) return std::nullopt;
  return it->second;
}

ProcessIndex ProcessTree::create(Pid pid, Nanos ts, ProcessIndex parent) {
  ProcessIndex index;
  if (!free_.empty()) {
    index = free_.back();
    free_.pop_back();
  } else {
    index = static_cast<ProcessIndex>(processes_.size());
    processes_.emplace_back();
  }
  Process& p = processes_[index];
  p.index = index;
  p.serial = next_serial_++;
  p.pid = pid;
  p.start = ts;
  p.parent = parent;
  if (parent != kNoProcess) {
    processes_[parent].children.push_back(index);
    p.ppid = processes_[parent].pid;
  } else {
    roots_.push_back(index);
  }
  live_[pid] = index;
  return index;
}

ProcessIndex ProcessTree::get_or_create(Pid pid, Nanos ts, Pid ppid_hint) {
  if (auto it = live_.find(pid); it != live_.end()) return it->second;
  ProcessIndex parent = kNoProcess;
  if (ppid_hint > 0)
    if (auto it = live_.find(ppid_hint); it != live_.end()) parent = it->second;
  ProcessIndex i = create(pid, ts, parent);
  processes_[i].ppid = ppid_hint;
  return i;
}

namespace {

// The original proctrace's ExecArgs/ExecFull joined argv with spaces; splitting
// on them is the best reconstruction there is, and gives views a program name.
Argv argv_of(const Event& e) {
  if (!e.args_joined || e.cmdline.size() != 1) return Argv(e.cmdline);
  std::vector<std::string_view> argv;
  std::string_view joined = e.cmdline[0];
  std::size_t pos = 0;
  while (pos < joined.size()) {
    std::size_t space = joined.find(' ', pos);
    if (space == std::string_view::npos) space = joined.size();
    if (space > pos) argv.push_back(joined.substr(pos, space - pos));
    pos = space + 1;
  }
  return Argv(argv);
}

}  // namespace

// One execve of an original proctrace file is one segment, whichever of its
// shapes wrote it: Exec (+ ExecArgs, the argv joined, once or twice: from
// the call and from the new image, which can be longer: "/usr/bin/env bash
// ./x.sh" for "./x.sh"); ExecFilename + ExecArgs then Exec; or ExecFull.
void ProcessTree::exec(ProcessIndex i, const Event& e) {
  Process& p = processes_[i];
  const Nanos ts = e.timestamp;
  if (p.pgids.empty() && e.pgid) p.pgids.emplace_back(ts, e.pgid);
  if (p.sids.empty() && e.sid) p.sids.emplace_back(ts, *e.sid);
  auto pending = pending_exec_.find(e.pid);
  if (pending == pending_exec_.end()) {
    start_segment(p, ts, e);
    return;
  }
  Event merged = e;
  if (!merged.has_cmdline && pending->second.has_args) {
    merged.cmdline = pending->second.args.cmdline;
    merged.has_cmdline = true;
    merged.args_joined = pending->second.args.args_joined;
  }
  if (merged.filename.empty()) merged.filename = pending->second.filename;
  pending_exec_.erase(pending);
  start_segment(p, ts, merged);
}

void ProcessTree::exec_args(ProcessIndex i, const Event& e) {
  Process& p = processes_[i];
  if (auto pending = pending_exec_.find(e.pid); pending != pending_exec_.end() && !pending->second.has_args) {
    pending->second.args = e;
    pending->second.has_args = true;
    return;
  }
  // After the Exec that opened the segment: fills its argv, or gives a
  // longer one (a tie: the later, as the original). Alone (no Exec before): the best name there is.
  if (p.segments.empty() || p.segments.back().inherited) {
    start_segment(p, e.timestamp, e);
    return;
  }
  ExecSegment& s = p.segments.back();
  // The original kept the longer of two argvs of one exec ("the most
  // complete one"), measured joined with spaces as it wrote them.
  Argv argv = argv_of(e);
  const bool only_filename = s.argv.size() == 1 && s.argv[0] == s.filename;
  if (only_filename || argv.joined_length() >= s.argv.joined_length()) s.argv = std::move(argv);
}

void ProcessTree::start_segment(Process& p, Nanos ts, const Event& e) {
  ExecSegment& s = p.segments.emplace_back();
  s.start = ts;
  s.argv = argv_of(e);
  s.filename = texts_.intern(e.filename);
  s.truncated = e.truncated;
  s.cwd = texts_.intern(e.cwd);
  s.cwd_cut = e.cwd_cut;
  if (s.argv.empty() && !s.filename.empty()) s.argv = Argv{std::string_view(s.filename)};
}

namespace {
// Removes one occurrence, searching from the back: the processes released
// first are usually the ones added last (children exit before the parent's
// next fork).
void erase_from_back(std::vector<ProcessIndex>& v, ProcessIndex i) {
  for (auto it = v.rbegin(); it != v.rend(); ++it)
    if (*it == i) {
      v.erase(std::next(it).base());
      return;
    }
}
}  // namespace

void ProcessTree::release(ProcessIndex i) {
  Process& p = processes_[i];
  if (auto it = live_.find(p.pid); it != live_.end() && it->second == i) live_.erase(it);
  if (p.parent != kNoProcess) erase_from_back(processes_[p.parent].children, i);
  else erase_from_back(roots_, i);
  for (ProcessIndex c : p.children) processes_[c].parent = kNoProcess;
  p = Process{};
  free_.push_back(i);
}

void ProcessTree::add_thread(Pid tgid, Pid tid) {
  if (auto p = live(tgid)) add_process_thread(*p, tid);
}

void ProcessTree::add_process_thread(ProcessIndex i, Pid tid) {
  auto& threads = processes_[i].threads;
  for (Pid t : threads)
    if (t == tid) return;
  threads.push_back(tid);
}

ProcessIndex ProcessTree::add(const Event& e) {
  if (!any_) first_ = e.timestamp;
  any_ = true;
  if (e.timestamp > last_) last_ = e.timestamp;
  const Nanos ts = e.timestamp;

  switch (e.kind) {
    case EventKind::Fork: {
      ProcessIndex parent = get_or_create(e.pid, ts, 0);
      if (processes_[parent].pgids.empty() && e.pgid) processes_[parent].pgids.emplace_back(ts, e.pgid);
      if (processes_[parent].sids.empty() && e.sid) processes_[parent].sids.emplace_back(ts, *e.sid);
      // A live process under the child's pid missed its exit: the pid was reused.
      if (auto old = live(e.child_pid)) live_.erase(e.child_pid);
      ProcessIndex child = create(e.child_pid, ts, parent);
      Process& c = processes_[child];
      const Process& par = processes_[parent];
      c.forked_in_recording = true;
      if (par.pgid()) c.pgids.emplace_back(ts, par.pgid());
      if (par.sid()) c.sids.emplace_back(ts, par.sid());
      if (!par.segments.empty()) {
        // A forked child nearly always execs: one block for both segments.
        c.segments.reserve(2);
        ExecSegment& s = c.segments.emplace_back();
        s.start = ts;
        s.argv = par.segments.back().argv;
        s.filename = par.segments.back().filename;
        s.inherited = true;
      }
      return child;
    }
    case EventKind::Exec:
    case EventKind::ExecFull: {
      ProcessIndex i = get_or_create(e.pid, ts, e.ppid);
      exec(i, e);
      return i;
    }
    case EventKind::ExecArgs: {
      ProcessIndex i = get_or_create(e.pid, ts, 0);
      exec_args(i, e);
      return i;
    }
    case EventKind::ExecFilename: {
      // Written at the execve's entry, before its Exec (or BadExec).
      ProcessIndex i = get_or_create(e.pid, ts, 0);
      pending_exec_[e.pid] = PendingExec{e.filename, {}, false};
      return i;
    }
    case EventKind::BadExec: {
      ProcessIndex i = get_or_create(e.pid, ts, 0);
      processes_[i].failed_execs++;
      pending_exec_.erase(e.pid);  // that attempt's filename and argv
      return i;
    }
    case EventKind::Exit: {
      ProcessIndex i = get_or_create(e.pid, ts, e.ppid);
      Process& p = processes_[i];
      p.end = ts;
      p.exit = e.exit;
      if (e.usage.any()) p.usage = std::make_shared<const ResourceUsage>(e.usage);
      live_.erase(e.pid);
      pending_exec_.erase(e.pid);  // an exec it never finished
      return i;
    }
    case EventKind::SetSid: {
      ProcessIndex i = get_or_create(e.pid, ts, e.ppid);
      Process& p = processes_[i];
      Pid sid = e.sid.value_or(e.pid);
      p.sids.emplace_back(ts, sid);
      p.pgids.emplace_back(ts, e.pgid ? e.pgid : e.pid);
      p.set_session = true;
      return i;
    }
    case EventKind::Attached: {
      const bool known = live(e.pid).has_value();
      ProcessIndex i = get_or_create(e.pid, ts, e.ppid);
      Process& p = processes_[i];
      if (!known) p.attached = true;
      // What it was running when attached to (record --attach reads it from
      // /proc): an image it did not exec in the recording, so "inherited".
      if (!known && e.has_cmdline && p.segments.empty()) {
        ExecSegment s;
        s.start = ts;
        s.argv = argv_of(e);
        s.inherited = true;
        p.segments.push_back(std::move(s));
      }
      if (p.pgids.empty() && e.pgid) p.pgids.emplace_back(ts, e.pgid);
      if (p.sids.empty() && e.sid) p.sids.emplace_back(ts, *e.sid);
      return i;
    }
    case EventKind::SetPgid: {
      ProcessIndex i = get_or_create(e.pid, ts, e.ppid);
      Process& p = processes_[i];
      Pid pgid = e.pgid ? e.pgid : e.pid;
      if (p.pgids.empty() || p.pgids.back().second != pgid) p.pgids.emplace_back(ts, pgid);
      p.set_group = true;
      return i;
    }
  }
  return kNoProcess;
}

void ProcessTree::finish(Nanos end_of_recording) {
  if (end_of_recording > last_) last_ = end_of_recording;
}

namespace {
template <class Args>
std::string join_args(const Args& argv) {
  std::string out;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    if (i) out += ' ';
    out += argv[i];
  }
  return out;
}
}  // namespace

std::string join_argv(const std::vector<std::string>& argv) { return join_args(argv); }
std::string join_argv(const Argv& argv) { return join_args(argv); }

}  // namespace proctrace
