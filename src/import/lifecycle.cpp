#include "import/lifecycle.h"

#include <algorithm>

namespace proctrace::strace {

namespace {
constexpr std::uint32_t kNone = ~std::uint32_t{0};
constexpr std::size_t kPathMax = 4096;  // Linux's PATH_MAX, as the recorder walks it

// The directory a chdir(path) leads to from cwd ("" when not known),
// resolved the way a shell's `cd` does by default: `.` and `..` lexically,
// without looking at symlinks (a log cannot). "" when it cannot be known.
std::string changed_directory(const std::string& cwd, const std::string& path) {
  if (path.empty() || (path[0] != '/' && cwd.empty())) return {};
  std::string out = path[0] == '/' || cwd == "/" ? std::string() : cwd;
  std::size_t at = 0;
  while (at <= path.size()) {
    std::size_t slash = path.find('/', at);
    if (slash == std::string::npos) slash = path.size();
    std::string_view part(path.data() + at, slash - at);
    at = slash + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      const std::size_t up = out.rfind('/');
      out.resize(up == std::string::npos ? 0 : up);
      continue;
    }
    out += '/';
    out += part;
  }
  if (out.empty()) out.push_back('/');
  return out.size() < kPathMax ? out : std::string();
}
}  // namespace

void LifecycleBuilder::run(std::vector<Fact>& facts) {
  std::stable_sort(facts.begin(), facts.end(), [](const Fact& a, const Fact& b) {
    return a.time != b.time ? a.time < b.time : a.order < b.order;
  });
  std::unordered_map<Pid, std::uint32_t> clones_ahead;  // child tid -> Clone facts not applied yet
  for (auto& f : facts)
    if (f.kind == Fact::Clone) ++clones_ahead[f.other];
  std::unordered_map<Pid, std::vector<const Fact*>> waiting;

  std::function<void(const Fact&)> process = [&](const Fact& f) {
    auto ahead = clones_ahead.find(f.tid);
    if (live_proc(f.tid) == kNone && ahead != clones_ahead.end() && ahead->second > 0) {
      waiting[f.tid].push_back(&f);
      return;
    }
    apply(f);
    if (f.kind == Fact::Clone) {
      --clones_ahead[f.other];
      auto w = waiting.find(f.other);
      if (w != waiting.end()) {
        std::vector<const Fact*> ready = std::move(w->second);
        waiting.erase(w);
        for (const Fact* d : ready) process(*d);
      }
    }
  };
  for (auto& f : facts) process(f);
}

void LifecycleBuilder::add(const Fact& fact) { apply(fact); }

std::uint32_t LifecycleBuilder::live_proc(Pid tid) const {
  auto it = tids_.find(tid);
  if (it == tids_.end() || !procs_[it->second].alive) return kNone;
  return it->second;
}

std::uint32_t LifecycleBuilder::new_proc(Pid pid, Nanos time) {
  auto index = static_cast<std::uint32_t>(procs_.size());
  Proc& p = procs_.emplace_back();
  p.pid = pid;
  if (index == 0) {
    p.pgid = first_pgid_;
    if (first_sid_) p.sid = first_sid_;
  }
  map_tid(pid, index, time);
  return index;
}

std::uint32_t LifecycleBuilder::proc_of(Pid tid, Nanos time) {
  std::uint32_t p = live_proc(tid);
  return p != kNone ? p : attached_proc(tid, time);
}

std::uint32_t LifecycleBuilder::attached_proc(Pid tid, Nanos time, Pid parent_tid) {
  // Neither forked nor exec'd in the log: every view and export must still
  // show it, and say its start is unknown.
  std::uint32_t p = new_proc(tid, time);
  if (std::uint32_t parent = parent_tid ? live_proc(parent_tid) : kNone; parent != kNone)
    procs_[p].ppid = procs_[parent].pid;
  Event e;
  e.kind = EventKind::Attached;
  e.timestamp = time;
  fill_common(e, procs_[p]);
  emit(e, p);
  return p;
}

void LifecycleBuilder::map_tid(Pid tid, std::uint32_t proc, Nanos time) {
  tids_[tid] = proc;
  spans_[tid].push_back({time, proc});
}

void LifecycleBuilder::set_index(std::uint32_t proc, ProcessIndex index) {
  Proc& p = procs_[proc];
  if (p.index == index || index == kNoProcess) return;
  p.index = index;
  for (Pid t : p.unindexed_threads) tree_.add_process_thread(index, t);
  p.unindexed_threads.clear();
}

void LifecycleBuilder::fill_common(Event& e, const Proc& p) const {
  e.pid = p.pid;
  e.ppid = p.ppid;
  e.pgid = p.pgid;
  e.sid = p.sid;
}

void LifecycleBuilder::emit(Event& e, std::uint32_t subject) {
  // Facts that waited for their Clone keep the event order monotonic.
  if (e.timestamp < last_time_) e.timestamp = last_time_;
  last_time_ = e.timestamp;
  ProcessIndex index = tree_.add(e);
  set_index(subject, index);
  ++events_;
  ++counts_[std::string(event_kind_name(e.kind))];
  if (emit_) emit_(e, index);
}

void LifecycleBuilder::apply(const Fact& f) {
  switch (f.kind) {
    case Fact::Clone: {
      std::uint32_t caller = proc_of(f.tid, f.time);
      if (f.thread) {
        map_tid(f.other, caller, f.time);
        Proc& p = procs_[caller];
        p.threads.push_back(f.other);
        if (p.index != kNoProcess) tree_.add_process_thread(p.index, f.other);
        else p.unindexed_threads.push_back(f.other);
        return;
      }
      std::uint32_t parent = caller;
      if (f.clone_parent && procs_[caller].ppid) {
        std::uint32_t grand = live_proc(procs_[caller].ppid);
        if (grand != kNone) parent = grand;
      }
      std::uint32_t child = new_proc(f.other, f.time);
      Proc& par = procs_[parent];
      Proc& c = procs_[child];
      c.ppid = par.pid;
      c.pgid = par.pgid;
      c.sid = par.sid;
      c.cwd = procs_[caller].cwd;  // the caller's, even when CLONE_PARENT makes it a sibling
      Event e;
      e.kind = EventKind::Fork;
      e.timestamp = f.time;
      e.pid = par.pid;
      e.child_pid = f.other;
      e.pgid = par.pgid;
      e.sid = par.sid;
      emit(e, child);
      if (procs_[parent].index == kNoProcess)
        if (auto i = tree_.live(procs_[parent].pid)) set_index(parent, *i);
      return;
    }
    case Fact::Exec: {
      // A process whose first line is its execve starts with it.
      std::uint32_t p = live_proc(f.tid);
      if (p == kNone) p = new_proc(f.tid, f.time);
      Event e;
      e.kind = EventKind::Exec;
      e.timestamp = f.time;
      fill_common(e, procs_[p]);
      e.cmdline = f.argv;
      e.has_cmdline = f.has_argv;
      e.filename = f.filename;
      e.truncated = f.truncated;
      e.cwd = procs_[p].cwd;
      emit(e, p);
      return;
    }
    case Fact::Cwd: {
      Proc& p = procs_[proc_of(f.tid, f.time)];
      p.cwd = changed_directory(p.cwd, f.filename);
      return;
    }
    case Fact::BadExec: {
      std::uint32_t p = proc_of(f.tid, f.time);
      Event e;
      e.kind = EventKind::BadExec;
      e.timestamp = f.time;
      fill_common(e, procs_[p]);
      e.filename = f.filename;
      e.exec_errno = f.code;
      emit(e, p);
      return;
    }
    case Fact::SetSid: {
      std::uint32_t p = proc_of(f.tid, f.time);
      procs_[p].sid = f.pgid;
      procs_[p].pgid = f.pgid;
      Event e;
      e.kind = EventKind::SetSid;
      e.timestamp = f.time;
      fill_common(e, procs_[p]);
      emit(e, p);
      return;
    }
    case Fact::SetPgid: {
      std::uint32_t caller = proc_of(f.tid, f.time);
      Pid target = f.other ? f.other : procs_[caller].pid;
      std::uint32_t t = proc_of(target, f.time);
      Pid pgid = f.pgid ? f.pgid : target;
      procs_[t].pgid = pgid;
      Event e;
      e.kind = EventKind::SetPgid;
      e.timestamp = f.time;
      fill_common(e, procs_[t]);
      emit(e, t);
      return;
    }
    case Fact::Exited:
    case Fact::Killed: {
      auto it = tids_.find(f.tid);
      // An inferred exit names the parent that reaped it (f.other).
      std::uint32_t p = it == tids_.end() ? attached_proc(f.tid, f.time, f.other) : it->second;
      if (procs_[p].pid != f.tid) return;  // a thread ended; its process goes on
      // The leader's pid reported dead twice: a process we never saw start.
      if (!procs_[p].alive) p = attached_proc(f.tid, f.time, f.other);
      Proc& pr = procs_[p];
      Event e;
      e.kind = EventKind::Exit;
      e.timestamp = f.time;
      fill_common(e, pr);
      if (f.kind == Fact::Exited) e.exit.code = f.code;
      else e.exit.signal = f.signal;
      e.exit.core_dumped = f.core_dumped;
      pr.alive = false;
      emit(e, p);
      return;
    }
    case Fact::ExitCall:
    case Fact::Reaped:
      return;  // exits only when the log prints none (see infer_exits)
    case Fact::Seen:
      // Known already (forked, exec'd, or a thread): nothing new. Else it
      // was running before the log began and is seen only by its calls.
      if (tids_.find(f.tid) == tids_.end()) attached_proc(f.tid, f.time);
      return;
    case Fact::Superseded:
      // The execve thread now holds the leader's pid: same process, and
      // its Exec was already made from the execve call.
      return;
  }
}

ProcessIndex LifecycleBuilder::process_of(Pid tid, Nanos time, Pid& tgid) const {
  auto it = spans_.find(tid);
  if (it == spans_.end() || it->second.empty()) {
    tgid = tid;
    return kNoProcess;
  }
  const auto& spans = it->second;
  auto pos = std::upper_bound(spans.begin(), spans.end(), time, [](Nanos t, const Span& s) { return t < s.from; });
  const Span& s = pos == spans.begin() ? spans.front() : *(pos - 1);
  const Proc& p = procs_[s.proc];
  tgid = p.pid;
  return p.index;
}

Stats LifecycleBuilder::stats(Nanos end_timestamp) const {
  Stats s;
  s.events = counts_;
  s.end_timestamp = std::max(end_timestamp, last_time_);
  for (auto& p : tree_.processes())
    if (!p.end) s.alive_at_end.push_back(p.pid);
  if (!tree_.roots().empty()) {
    const Process& root = tree_[tree_.roots().front()];
    if (root.exit.known()) s.root_status = root.exit.shell_status();
  }
  return s;
}

}  // namespace proctrace::strace
