#include "analyze/run_diff.h"

#include <algorithm>
#include <unordered_map>

#include "analyze/argv_normalize.h"
#include "analyze/run_own_time.h"

namespace proctrace {

namespace {

std::string match_key(const BuildRecording& rec, const ProgramRun& run) {
  std::string key(rec.program(run.program));
  // argv[0] is skipped: the program names the run, and a wrapper may set
  // argv[0] to anything.
  std::string_view args = run.argv;
  std::size_t nul = args.find('\0');
  args = nul == std::string_view::npos ? std::string_view() : args.substr(nul + 1);
  while (true) {
    key += '\0';
    std::size_t end = args.find('\0');
    key += normalize_argument(args.substr(0, end));
    if (end == std::string_view::npos) break;
    args.remove_prefix(end + 1);
  }
  return key;
}

// Run indexes by match key, each list in start order.
std::unordered_map<std::string, std::vector<std::uint32_t>> runs_by_key(const BuildRecording& rec) {
  std::unordered_map<std::string, std::vector<std::uint32_t>> keyed;
  std::vector<std::uint32_t> order(rec.runs.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return rec.runs[a].start < rec.runs[b].start; });
  for (std::uint32_t i : order) keyed[match_key(rec, rec.runs[i])].push_back(i);
  return keyed;
}

Nanos wall(const BuildRecording& rec) { return rec.last - rec.first; }

}  // namespace

RunDiff diff_runs(const BuildRecording& before, const BuildRecording& after) {
  RunDiff diff;
  diff.wall_before = wall(before);
  diff.wall_after = wall(after);
  std::vector<Nanos> own_before = run_own_times(before), own_after = run_own_times(after);
  auto a_keyed = runs_by_key(before);
  auto b_keyed = runs_by_key(after);

  auto add = [&](std::uint32_t a, std::uint32_t b) {
    RunChange c;
    c.before = a;
    c.after = b;
    if (a != kNoRun) c.wall_before = before.runs[a].duration(), c.own_before = own_before[a];
    if (b != kNoRun) c.wall_after = after.runs[b].duration(), c.own_after = own_after[b];
    if (c.matched() && before.failed(before.runs[a]) != after.failed(after.runs[b])) diff.status_changes.push_back(c);
    diff.changes.push_back(c);
  };
  for (auto& [key, a_runs] : a_keyed) {
    auto it = b_keyed.find(key);
    std::size_t paired = it == b_keyed.end() ? 0 : std::min(a_runs.size(), it->second.size());
    for (std::size_t i = 0; i < a_runs.size(); ++i) add(a_runs[i], i < paired ? it->second[i] : kNoRun);
    if (it != b_keyed.end())
      for (std::size_t i = paired; i < it->second.size(); ++i) add(kNoRun, it->second[i]);
  }
  for (auto& [key, b_runs] : b_keyed)
    if (!a_keyed.count(key))
      for (std::uint32_t b : b_runs) add(kNoRun, b);

  // Largest |impact| first; ties in a stable order (first recording's runs
  // by index, then the second's), so the text does not depend on hashing.
  auto magnitude = [](const RunChange& c) {
    std::int64_t i = c.impact();
    return i < 0 ? -i : i;
  };
  auto order = [&](const RunChange& x, const RunChange& y) {
    if (magnitude(x) != magnitude(y)) return magnitude(x) > magnitude(y);
    if (x.before != y.before) return x.before < y.before;
    return x.after < y.after;
  };
  std::sort(diff.changes.begin(), diff.changes.end(), order);
  std::sort(diff.status_changes.begin(), diff.status_changes.end(), order);
  return diff;
}

}  // namespace proctrace
