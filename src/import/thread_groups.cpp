#include "import/thread_groups.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace proctrace::strace {

namespace {

constexpr Nanos kSecond = 1'000'000'000ULL;
// How far back from a wake the waiters are searched: past this many a wake
// counts as ambiguous (bounds the work on a hot futex word).
constexpr std::size_t kMaxWaitScan = 4096;

enum EvidenceBit : unsigned { kFutex = 1, kProcPath = 2, kGetpid = 4, kTgkill = 8, kExitGroup = 16 };

unsigned bit_of(ThreadClue::Source s) {
  switch (s) {
    case ThreadClue::FromGetpid:
      return kGetpid;
    case ThreadClue::FromTgkill:
      return kTgkill;
    case ThreadClue::FromProcPath:
      return kProcPath;
  }
  return kProcPath;
}

// Union-find over the candidate tids. A set may learn its process's pid
// (its leader); two sets that name different leaders are never joined.
class Sets {
 public:
  void add(Pid t) { up_.emplace(t, t); }
  bool has(Pid t) const { return up_.count(t) != 0; }
  Pid find(Pid t) {
    Pid root = t;
    while (up_[root] != root) root = up_[root];
    while (up_[t] != root) t = std::exchange(up_[t], root);
    return root;
  }
  // Joins a's and b's sets (the same tid twice: only names the leader).
  // leader: what the clue says the process's pid is (0: nothing).
  void unite(Pid a, Pid b, unsigned bits, Pid leader = 0) {
    if (!has(a) || !has(b) || (leader && !has(leader))) return;
    Pid ra = find(a), rb = find(b);
    Pid la = leader_[ra], lb = leader_[rb];
    Pid known = leader ? leader : la ? la : lb;
    if ((la && la != known) || (lb && lb != known)) {
      ++conflicts_;  // two processes by their own clues: keep them apart
      return;
    }
    if (leader && ra != find(leader) && leader != a && leader != b) {
      // The leader named is in a third set: join it too.
      Pid rl = find(leader);
      if (leader_[rl] && leader_[rl] != known) {
        ++conflicts_;
        return;
      }
      up_[rl] = ra;
      evidence_[ra] |= evidence_[rl];
    }
    if (ra != rb) {
      up_[rb] = ra;
      evidence_[ra] |= evidence_[rb];
    }
    leader_[ra] = known;
    evidence_[ra] |= bits;
  }
  Pid leader(Pid root) { return leader_[root]; }
  unsigned evidence(Pid root) { return evidence_[root]; }
  std::size_t conflicts() const { return conflicts_; }

 private:
  std::unordered_map<Pid, Pid> up_;
  std::unordered_map<Pid, Pid> leader_;
  std::unordered_map<Pid, unsigned> evidence_;
  std::size_t conflicts_ = 0;
};

struct Wait {
  Nanos start = 0, end = 0;
  Pid tid = 0;
  std::uint8_t outcome = 0;
};

// Waits sorted by start, with the latest end of any wait up to each one:
// a backwards scan stops where no earlier wait can still be running.
struct WaitList {
  std::vector<Wait> waits;
  std::vector<Nanos> max_end;
  void seal() {
    std::sort(waits.begin(), waits.end(), [](const Wait &a, const Wait &b) { return a.start < b.start; });
    max_end.resize(waits.size());
    Nanos m = 0;
    for (std::size_t i = 0; i < waits.size(); ++i) max_end[i] = m = std::max(m, waits[i].end);
  }
  // Up to `limit` waits by threads other than `waker` that were running at
  // some point of [from, to]; false when the scan gave up (ambiguous).
  bool running(Nanos from, Nanos to, Pid waker, std::size_t limit, std::vector<const Wait *> &out) const {
    auto it = std::upper_bound(waits.begin(), waits.end(), to, [](Nanos t, const Wait &w) { return t < w.start; });
    std::size_t scanned = 0;
    for (std::size_t i = static_cast<std::size_t>(it - waits.begin()); i-- > 0 && max_end[i] >= from;) {
      if (++scanned > kMaxWaitScan) return false;
      const Wait &w = waits[i];
      if (w.end >= from && w.tid != waker) {
        out.push_back(&w);
        if (out.size() >= limit) return true;
      }
    }
    return true;
  }
};

// A private futex wake that woke exactly one waiter, when exactly one
// thread of the log was waiting on that word then and no wait with an
// unseen word was running: waker and waiter share an address space.
void futex_ties(const std::vector<ThreadClue> &clues, Sets &sets) {
  std::unordered_map<std::uint64_t, WaitList> by_word;
  WaitList hidden;
  for (auto &c : clues) {
    if (c.kind == ThreadClue::FutexWait)
      by_word[c.addr].waits.push_back({c.start, c.end, c.tid, c.outcome});
    else if (c.kind == ThreadClue::HiddenWait)
      hidden.waits.push_back({c.start, c.end, c.tid, c.outcome});
  }
  for (auto &[_, list] : by_word) list.seal();
  hidden.seal();
  std::vector<const Wait *> found;
  for (auto &c : clues) {
    if (c.kind != ThreadClue::FutexWake || c.count != 1 || !sets.has(c.tid)) continue;
    auto list = by_word.find(c.addr);
    if (list == by_word.end()) continue;
    found.clear();
    if (!hidden.running(c.start, c.end, c.tid, 1, found) || !found.empty()) continue;
    if (!list->second.running(c.start, c.end, c.tid, 2, found) || found.size() != 1) continue;
    if (found[0]->outcome != ThreadClue::kWoken) continue;
    sets.unite(c.tid, found[0]->tid, kFutex);
  }
}

// A thread that ended ("+++ exited with N +++") without calling exit or
// exit_group itself was ended by a thread of its process calling
// exit_group(N): when exactly one exit_group ran in the second before, by
// another thread, with that code, the two share a process.
void exit_group_ties(const std::vector<Fact> &facts, const std::vector<ThreadClue> &clues, Sets &sets) {
  std::vector<const Fact *> group_exits;
  std::unordered_set<Pid> called_exit;
  for (auto &f : facts)
    if (f.kind == Fact::ExitCall) {
      group_exits.push_back(&f);
      called_exit.insert(f.tid);
    }
  for (auto &c : clues)
    if (c.kind == ThreadClue::ThreadExit) called_exit.insert(c.tid);
  std::sort(group_exits.begin(), group_exits.end(), [](const Fact *a, const Fact *b) { return a->order < b->order; });
  for (auto &y : facts) {
    if (y.kind != Fact::Exited || called_exit.count(y.tid) || !sets.has(y.tid)) continue;
    auto it = std::lower_bound(group_exits.begin(), group_exits.end(), y.order,
                               [](const Fact *f, std::uint64_t order) { return f->order < order; });
    const Fact *x = nullptr;
    std::size_t recent = 0;
    for (auto i = it; i != group_exits.begin();) {
      const Fact *f = *--i;
      if (f->time + kSecond < y.time) break;
      x = f;
      ++recent;
    }
    if (recent != 1 || x->tid == y.tid || x->code != y.code) continue;
    sets.unite(x->tid, y.tid, kExitGroup);
  }
}

std::string evidence_text(unsigned bits) {
  static const std::pair<unsigned, const char *> kNames[] = {{kProcPath, "/proc paths"},
                                                             {kGetpid, "getpid"},
                                                             {kTgkill, "tgkill"},
                                                             {kFutex, "futex wake/wait"},
                                                             {kExitGroup, "exit_group"}};
  std::string out;
  for (auto &[bit, name] : kNames)
    if (bits & bit) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

}  // namespace

std::vector<ThreadGroup> infer_thread_groups(const std::vector<Fact> &facts, const std::vector<ThreadClue> &clues,
                                             bool exact_times) {
  // Candidates: threads first seen by their calls (running when strace
  // attached), never created by a clone in the log, never part of a
  // thread's execve (whose pids strace rewrites).
  std::unordered_map<Pid, Nanos> first_seen;
  std::unordered_set<Pid> excluded;
  for (auto &f : facts) {
    if (f.kind == Fact::Seen) {
      auto [it, fresh] = first_seen.emplace(f.tid, f.time);
      if (!fresh) it->second = std::min(it->second, f.time);
    } else if (f.kind == Fact::Clone) {
      excluded.insert(f.other);
    } else if (f.kind == Fact::Superseded || f.kind == Fact::Exec) {
      excluded.insert(f.tid);
      excluded.insert(f.other);
    }
  }
  Sets sets;
  for (auto &[tid, _] : first_seen)
    if (!excluded.count(tid)) sets.add(tid);

  // Clues that name the process first: they settle leaders, and a later
  // tie that contradicts them is refused.
  for (auto &c : clues) {
    if (c.kind == ThreadClue::InGroup)
      sets.unite(c.tid, c.other, bit_of(c.source), c.other);
    else if (c.kind == ThreadClue::SameGroup)
      sets.unite(c.tid, c.other, bit_of(c.source));
  }
  if (exact_times) {
    futex_ties(clues, sets);
    exit_group_ties(facts, clues, sets);
  }

  // The kernel reports a process's leader after all its other threads: when
  // every thread of a set ended, the last one is the leader.
  std::unordered_map<Pid, std::uint64_t> exit_order;
  for (auto &f : facts)
    if ((f.kind == Fact::Exited || f.kind == Fact::Killed) && sets.has(f.tid)) exit_order[f.tid] = f.order;

  std::unordered_map<Pid, std::vector<Pid>> members;
  for (auto &[tid, _] : first_seen)
    if (sets.has(tid)) members[sets.find(tid)].push_back(tid);
  std::vector<ThreadGroup> groups;
  for (auto &[root, tids] : members) {
    if (tids.size() < 2) continue;
    std::sort(tids.begin(), tids.end());
    ThreadGroup g;
    g.leader = sets.leader(root);
    if (!g.leader) {
      bool all_ended = std::all_of(tids.begin(), tids.end(), [&](Pid t) { return exit_order.count(t) != 0; });
      if (all_ended)
        g.leader =
            *std::max_element(tids.begin(), tids.end(), [&](Pid a, Pid b) { return exit_order[a] < exit_order[b]; });
      else {
        g.leader = tids.front();
        g.leader_guessed = true;
      }
    }
    g.first_seen = first_seen[tids.front()];
    for (Pid t : tids) {
      g.first_seen = std::min(g.first_seen, first_seen[t]);
      if (t != g.leader) g.members.push_back(t);
    }
    g.evidence = evidence_text(sets.evidence(root));
    groups.push_back(std::move(g));
  }
  std::sort(groups.begin(), groups.end(),
            [](const ThreadGroup &a, const ThreadGroup &b) { return a.leader < b.leader; });
  return groups;
}

std::string describe_thread_groups(const std::vector<ThreadGroup> &groups) {
  std::string out;
  for (auto &g : groups) {
    if (!out.empty()) out += "; ";
    out += "pid " + std::to_string(g.leader) + (g.leader_guessed ? " (lowest tid: the log names no leader)" : "") +
           " with threads ";
    for (std::size_t i = 0; i < g.members.size(); ++i) out += (i ? ", " : "") + std::to_string(g.members[i]);
    out += " (" + g.evidence + ")";
  }
  return out;
}

}  // namespace proctrace::strace
