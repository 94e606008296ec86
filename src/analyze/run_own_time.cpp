#include "analyze/run_own_time.h"

#include <algorithm>
#include <cstdint>

namespace proctrace {

namespace {

// Indices 0..n-1 grouped by key(i) < groups, in index order within a group
// (a counting sort): members of group g are order[first[g] .. first[g+1]).
template <class Key>
void group_by(std::size_t n, std::size_t groups, Key key, std::vector<std::uint32_t>& first,
              std::vector<std::uint32_t>& order) {
  first.assign(groups + 1, 0);
  for (std::size_t i = 0; i < n; ++i)
    if (std::uint32_t g = key(i); g < groups) ++first[g + 1];
  for (std::size_t g = 0; g < groups; ++g) first[g + 1] += first[g];
  order.resize(first[groups]);
  std::vector<std::uint32_t> next(first.begin(), first.end() - 1);
  for (std::size_t i = 0; i < n; ++i)
    if (std::uint32_t g = key(i); g < groups) order[next[g]++] = static_cast<std::uint32_t>(i);
}

}  // namespace

std::vector<Nanos> run_own_times(const BuildRecording& rec) {
  const std::size_t n = rec.processes.size();
  std::vector<Nanos> own(rec.runs.size());
  for (std::size_t i = 0; i < rec.runs.size(); ++i) own[i] = rec.runs[i].duration();

  // Children by parent and runs by process, by counting: no comparison sort
  // of a million spans. Spans are listed as they appeared, so a parent's
  // children come in start order; a group that does not is sorted.
  std::vector<std::uint32_t> child_first, children, run_first, runs;
  group_by(n, n, [&](std::size_t i) { return rec.processes[i].parent; }, child_first, children);
  group_by(rec.runs.size(), n, [&](std::size_t i) { return rec.runs[i].process; }, run_first, runs);

  std::vector<std::pair<Nanos, Nanos>> busy;
  for (std::uint32_t parent = 0; parent < n; ++parent) {
    auto kids_begin = children.begin() + child_first[parent], kids_end = children.begin() + child_first[parent + 1];
    if (kids_begin == kids_end || run_first[parent] == run_first[parent + 1]) continue;
    auto by_start = [&](std::uint32_t a, std::uint32_t b) { return rec.processes[a].start < rec.processes[b].start; };
    if (!std::is_sorted(kids_begin, kids_end, by_start)) std::stable_sort(kids_begin, kids_end, by_start);
    // The union of this parent's children, as disjoint intervals.
    busy.clear();
    for (auto it = kids_begin; it != kids_end; ++it) {
      const ProcessSpan& c = rec.processes[*it];
      if (!busy.empty() && c.start <= busy.back().second)
        busy.back().second = std::max(busy.back().second, c.end);
      else
        busy.emplace_back(c.start, c.end);
    }
    for (std::uint32_t k = run_first[parent]; k < run_first[parent + 1]; ++k) {
      const ProgramRun& run = rec.runs[runs[k]];
      Nanos waited = 0;
      for (auto& [from, to] : busy) {
        Nanos a = std::max(from, run.start), b = std::min(to, run.end);
        if (a < b) waited += b - a;
      }
      own[runs[k]] -= std::min(waited, own[runs[k]]);
    }
  }
  return own;
}

}  // namespace proctrace
