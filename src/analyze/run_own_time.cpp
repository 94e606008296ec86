#include "analyze/run_own_time.h"

#include <algorithm>

namespace proctrace {

std::vector<Nanos> run_own_times(const BuildRecording& rec) {
  std::vector<Nanos> own(rec.runs.size());
  for (std::size_t i = 0; i < rec.runs.size(); ++i) own[i] = rec.runs[i].duration();

  // Children's spans grouped by parent (a parent before its children, so
  // sorting by (parent, start) groups them), merged into a union per parent.
  struct Child {
    std::uint32_t parent;
    Nanos start, end;
  };
  std::vector<Child> children;
  for (auto& p : rec.processes)
    if (p.parent != kNoSpan) children.push_back({p.parent, p.start, p.end});
  std::sort(children.begin(), children.end(),
            [](const Child& a, const Child& b) { return a.parent != b.parent ? a.parent < b.parent : a.start < b.start; });

  // Runs of each process in time order.
  std::vector<std::uint32_t> runs(rec.runs.size());
  for (std::uint32_t i = 0; i < runs.size(); ++i) runs[i] = i;
  std::stable_sort(runs.begin(), runs.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return rec.runs[a].process < rec.runs[b].process; });

  std::size_t r = 0;
  for (std::size_t c = 0; c < children.size();) {
    std::uint32_t parent = children[c].parent;
    // The union of this parent's children, as disjoint intervals.
    std::vector<std::pair<Nanos, Nanos>> busy;
    for (; c < children.size() && children[c].parent == parent; ++c) {
      if (!busy.empty() && children[c].start <= busy.back().second)
        busy.back().second = std::max(busy.back().second, children[c].end);
      else
        busy.emplace_back(children[c].start, children[c].end);
    }
    while (r < runs.size() && rec.runs[runs[r]].process < parent) ++r;
    for (; r < runs.size() && rec.runs[runs[r]].process == parent; ++r) {
      const ProgramRun& run = rec.runs[runs[r]];
      Nanos waited = 0;
      for (auto& [from, to] : busy) {
        Nanos a = std::max(from, run.start), b = std::min(to, run.end);
        if (a < b) waited += b - a;
      }
      own[runs[r]] -= std::min(waited, own[runs[r]]);
    }
  }
  return own;
}

}  // namespace proctrace
