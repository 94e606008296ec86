#include "analyze/selection.h"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace proctrace {

Selection::Selection(const ProcessTree& tree, const SelectOptions& options) {
  if (options.pids.empty()) return;
  everything_ = false;
  state_.assign(tree.size(), kOut);
  loose_.insert(options.pids.begin(), options.pids.end());
  auto select_thread = [&](ProcessIndex p, Pid tid) {
    if (options.threads || tree[p].threads.empty()) {
      state_[p] = kWhole;
    } else if (state_[p] != kWhole) {
      state_[p] = kSomeThreads;
      tids_.insert(tid);
    }
  };
  std::vector<bool> matched(options.pids.size(), false);
  for (const Process& p : tree.processes()) {
    for (std::size_t i = 0; i < options.pids.size(); ++i) {
      Pid want = options.pids[i];
      bool is_thread = std::find(p.threads.begin(), p.threads.end(), want) != p.threads.end();
      if (p.pid != want && !is_thread) continue;
      matched[i] = true;
      select_thread(p.index, want);
    }
  }
  if (options.related) {
    std::vector<ProcessIndex> base;
    for (ProcessIndex p = 0; p < state_.size(); ++p)
      if (state_[p] != kOut) base.push_back(p);
    for (ProcessIndex p : base) {
      if (tree[p].parent != kNoProcess) state_[tree[p].parent] = kWhole;
      for (ProcessIndex c : tree[p].children) state_[c] = kWhole;
    }
  }
  for (std::size_t i = 0; i < options.pids.size(); ++i)
    if (!matched[i]) unmatched_.push_back(options.pids[i]);
}

Selection select_processes(const ProcessTree& tree, const SelectOptions& options) {
  Selection s(tree, options);
  for (Pid pid : s.unmatched()) spdlog::warn("-p {}: no process or thread with that id in the trace", pid);
  return s;
}

}  // namespace proctrace
