#include "analyze/critical_path.h"

#include <algorithm>

namespace proctrace {

namespace {

// Children of each span (and of the recording: the roots), sorted by end,
// in one array (compressed rows): children of s are order[first[s]..first[s+1]).
struct ChildIndex {
  std::vector<std::uint32_t> first;
  std::vector<std::uint32_t> order;

  explicit ChildIndex(const BuildRecording& rec) {
    std::size_t n = rec.processes.size();
    std::size_t top = n;  // the slot of the recording
    first.assign(n + 2, 0);
    auto slot = [&](const ProcessSpan& p) { return p.parent == kNoSpan ? top : p.parent; };
    for (auto& p : rec.processes) ++first[slot(p) + 1];
    for (std::size_t i = 1; i < first.size(); ++i) first[i] += first[i - 1];
    order.resize(n);
    std::vector<std::uint32_t> fill(first.begin(), first.end() - 1);
    for (std::uint32_t i = 0; i < n; ++i) order[fill[slot(rec.processes[i])]++] = i;
    for (std::size_t s = 0; s <= n; ++s)
      std::stable_sort(order.begin() + first[s], order.begin() + first[s + 1],
                       [&](std::uint32_t a, std::uint32_t b) { return rec.processes[a].end < rec.processes[b].end; });
  }
};

}  // namespace

CriticalPath critical_path(const BuildRecording& rec) {
  CriticalPath path;
  if (rec.processes.empty()) return path;
  ChildIndex children(rec);
  const std::uint32_t top = static_cast<std::uint32_t>(rec.processes.size());

  Nanos rec_start = rec.processes.front().start, rec_end = 0;
  for (auto& p : rec.processes)
    if (p.parent == kNoSpan) {
      rec_start = std::min(rec_start, p.start);
      rec_end = std::max(rec_end, p.end);
    }

  // An explicit stack, not recursion: a hostile recording may nest a
  // million processes deep. Steps come out latest first.
  struct Frame {
    std::uint32_t span;   // top: the recording
    std::uint32_t depth;
    Nanos start;          // the span's start
    Nanos cursor;         // everything after this is explained
    std::uint32_t next;   // candidates are children order[first .. next)
  };
  std::vector<Frame> stack;
  // Each span is entered at most once and leaves at most two steps (a gap
  // before its chosen child, and its own start): reserving that bound keeps
  // a serial build's long path from doubling its way up, which at a million
  // events held twice the steps for a moment. Untouched capacity is never
  // paged in.
  std::vector<CriticalStep> steps;
  steps.reserve(2 * (rec.processes.size() + 1));
  std::vector<bool> has_path_child(rec.processes.size() + 1, false);
  stack.push_back({top, 0, rec_start, rec_end, children.first[top + 1]});
  while (!stack.empty()) {
    Frame& f = stack.back();
    std::uint32_t lo = children.first[f.span];
    // The child that ended latest at or before the cursor (ends are sorted).
    auto begin = children.order.begin() + lo, end = children.order.begin() + f.next;
    auto it = std::upper_bound(begin, end, f.cursor,
                               [&](Nanos t, std::uint32_t c) { return t < rec.processes[c].end; });
    std::uint32_t span = f.span == top ? kNoSpan : f.span;
    std::uint32_t depth = f.span == top ? 0 : f.depth;
    if (it == begin || rec.processes[*(it - 1)].end <= f.start) {
      if (f.cursor > f.start) steps.push_back({span, depth, f.start, f.cursor, false});
      stack.pop_back();
      continue;
    }
    std::uint32_t c = *(it - 1);
    const ProcessSpan& child = rec.processes[c];
    if (child.end < f.cursor) steps.push_back({span, depth, child.end, f.cursor, false});
    has_path_child[f.span] = true;
    f.next = static_cast<std::uint32_t>(it - 1 - children.order.begin());
    f.cursor = std::max(f.start, child.start);
    std::uint32_t child_depth = f.span == top ? 0 : f.depth + 1;
    stack.push_back({c, child_depth, child.start, child.end, children.first[c + 1]});
  }
  std::reverse(steps.begin(), steps.end());

  // Own time by span in a flat table: a serial build puts every one of its
  // processes on the path, and a hash node per process cost four times this.
  // Every step lasts (steps of no time are never made), so a span is on the
  // path exactly when its own time is not zero.
  std::vector<Nanos> own(rec.processes.size(), 0);
  for (auto& s : steps) {
    s.waiting_parent = has_path_child[s.span == kNoSpan ? top : s.span];
    path.total += s.duration();
    if (s.span != kNoSpan) own[s.span] += s.duration();
  }
  for (std::uint32_t span = 0; span < own.size(); ++span)
    if (own[span]) path.processes.push_back({span, own[span]});
  std::sort(path.processes.begin(), path.processes.end(), [](auto& a, auto& b) {
    return a.own != b.own ? a.own > b.own : a.span < b.span;
  });
  path.steps = std::move(steps);
  return path;
}

}  // namespace proctrace
