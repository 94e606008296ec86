// Which processes, and which of their threads, a view reports on: the
// -p/--pid, -r/--related and -t/--threads options every analysis shares.
//
// -p takes process or thread ids. A pid names every process that ever had
// it (a reused pid is several processes, each its own row). Given a process
// id of a multi-threaded process, or one of its thread ids, only that
// thread's calls are counted unless -t adds its sibling threads. -r adds the
// parent and the children of each selected process, whole.
#pragma once

#include <cstdint>
#include <unordered_set>
#include <vector>

#include "model/process_tree.h"

namespace proctrace {

struct SelectOptions {
  std::vector<Pid> pids;  // empty: everything
  bool related = false;
  bool threads = false;
};

class Selection {
 public:
  Selection() = default;  // everything
  Selection(const ProcessTree& tree, const SelectOptions& options);

  bool everything() const { return everything_; }
  // Any of the process's threads is selected.
  bool has(ProcessIndex p) const { return everything_ || (p < state_.size() && state_[p] != kOut); }
  // A call of thread tid; process kNoProcess (a task without lifecycle
  // events) matches by its ids.
  bool has_call(ProcessIndex p, Pid tid, Pid tgid) const {
    if (everything_) return true;
    if (p == kNoProcess) return loose_.contains(tid) || loose_.contains(tgid);
    std::uint8_t s = p < state_.size() ? state_[p] : kOut;
    return s == kWhole || (s == kSomeThreads && tids_.contains(tid));
  }
  // -p values that named no process or thread (to warn about).
  const std::vector<Pid>& unmatched() const { return unmatched_; }

 private:
  static constexpr std::uint8_t kOut = 0, kSomeThreads = 1, kWhole = 2;
  bool everything_ = true;
  std::vector<std::uint8_t> state_;
  std::unordered_set<Pid> tids_;
  std::unordered_set<Pid> loose_;
  std::vector<Pid> unmatched_;
};

// A Selection that warns (on stderr) about -p values naming nothing.
Selection select_processes(const ProcessTree& tree, const SelectOptions& options);

}  // namespace proctrace
