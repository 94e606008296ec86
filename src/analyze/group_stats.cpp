#include "analyze/group_stats.h"

#include <algorithm>
#include <unordered_map>

#include "io/input_file.h"
#include "render/command_text.h"

namespace proctrace {

const std::vector<std::string>& group_key_names() {
  static const std::vector<std::string> names = {"program", "command", "cwd", "parent"};
  return names;
}

std::optional<GroupKey> group_key_from_name(const std::string& name) {
  if (name == "program") return GroupKey::Program;
  if (name == "command") return GroupKey::Command;
  if (name == "cwd") return GroupKey::Cwd;
  if (name == "parent") return GroupKey::Parent;
  return std::nullopt;
}

namespace {

bool looks_like_source(std::string_view a) {
  static constexpr std::string_view kExtensions[] = {".c",  ".cc", ".cpp", ".cxx", ".C",  ".s",  ".S",  ".rs",
                                                     ".go", ".f",  ".f90", ".m",   ".mm", ".java", ".ts", ".js", ".py"};
  if (a.empty() || a[0] == '-') return false;
  for (auto ext : kExtensions)
    if (a.size() > ext.size() && a.substr(a.size() - ext.size()) == ext) return true;
  return false;
}

// What a run is grouped by, without building text: the program name, the
// argv as recorded ('\0'-joined: two runs share it exactly when they ran
// the same command line) or the directory, each a view into rec; or the
// parent's span.
struct GroupId {
  std::string_view text;
  std::uint32_t number = 0;
  bool operator==(const GroupId& o) const { return number == o.number && text == o.text; }
};

struct GroupIdHash {
  std::size_t operator()(const GroupId& id) const {
    return std::hash<std::string_view>()(id.text) ^ (id.number * std::size_t{0x9E3779B97F4A7C15});
  }
};

GroupId group_id(const BuildRecording& rec, const ProgramRun& run, GroupKey by) {
  const ProcessSpan& p = rec.processes[run.process];
  switch (by) {
    case GroupKey::Program: return {rec.program(run.program)};
    case GroupKey::Command: return {run.argv};
    case GroupKey::Cwd: return {run.cwd == kNoCwd ? std::string_view("?") : std::string_view(rec.cwds[run.cwd])};
    case GroupKey::Parent: return {{}, p.parent};
  }
  return {};
}

std::string group_name(const BuildRecording& rec, const ProgramRun& run, GroupKey by) {
  const ProcessSpan& p = rec.processes[run.process];
  switch (by) {
    case GroupKey::Program:
      return std::string(rec.program(run.program));
    case GroupKey::Command:
      return quote_argv(rec.argv(run));
    case GroupKey::Cwd:
      return std::string(group_id(rec, run, by).text);
    case GroupKey::Parent:
      return p.parent == kNoSpan ? std::string("(no parent recorded)")
                                 : rec.label(p.parent) + " (pid " + std::to_string(rec.processes[p.parent].pid) + ")";
  }
  return {};
}

}  // namespace

std::string run_subject(const BuildRecording& rec, const ProgramRun& run) {
  std::vector<std::string> argv = rec.argv(run);
  // The first: outputs (-o x.s) come after inputs in compiler command lines.
  for (std::size_t i = 1; i < argv.size(); ++i)
    if (looks_like_source(argv[i])) return truncate_text(argv[i].substr(argv[i].rfind('/') + 1), 48);
  return argv.size() > 1 ? truncate_text(argv.back(), 48) : std::string();
}

std::vector<GroupStats> group_stats(const BuildRecording& rec, GroupKey by, std::size_t labelled) {
  if (by == GroupKey::Cwd && !rec.has_cwd)
    throw InputError("this recording has no working directories (record it with a recorder that writes cwd)");
  std::vector<GroupStats> groups;
  std::vector<GroupId> ids;  // of each group
  {
    std::unordered_map<GroupId, std::uint32_t, GroupIdHash> index;
    for (std::uint32_t i = 0; i < rec.runs.size(); ++i) {
      const ProgramRun& run = rec.runs[i];
      auto [it, added] = index.try_emplace(group_id(rec, run, by), static_cast<std::uint32_t>(groups.size()));
      if (added) {
        groups.emplace_back();
        ids.push_back(it->first);
      }
      GroupStats& g = groups[it->second];
      ++g.runs;
      if (rec.failed(run)) ++g.failed;
      g.total += run.duration();
      if (g.slowest == kNoRun || run.duration() > g.max) g.max = run.duration(), g.slowest = i;
      // CPU and memory are measured per process: they belong to its last run.
      const ProcessResources* r = run.last ? rec.resources_of(run.process) : nullptr;
      if (r && r->cpu) g.cpu = g.cpu.value_or(0) + *r->cpu;
      if (r && r->peak_rss_bytes) g.peak_rss_bytes = std::max(g.peak_rss_bytes.value_or(0), *r->peak_rss_bytes);
    }
  }
  std::vector<std::uint32_t> order(groups.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  auto before = [&](std::uint32_t a, std::uint32_t b) {
    if (groups[a].total != groups[b].total) return groups[a].total > groups[b].total;
    if (ids[a].text != ids[b].text) return ids[a].text < ids[b].text;
    return ids[a].number < ids[b].number;
  };
  // Only the labelled ones are shown: --by command makes a group per
  // compile, and ordering them all (comparing command lines at equal
  // totals) cost more than grouping. No two ids are equal, so the first
  // `labelled` come out exactly as a full sort puts them.
  if (labelled < order.size())
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(labelled), order.end(), before);
  else
    std::sort(order.begin(), order.end(), before);
  ids.clear();
  ids.shrink_to_fit();
  // Into that order in place (following each cycle of the permutation),
  // not into a second vector of groups.
  std::vector<bool> placed(groups.size(), false);
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (placed[i]) continue;
    GroupStats held = std::move(groups[i]);
    for (std::size_t j = i;;) {
      std::size_t from = order[j];
      placed[j] = true;
      if (from == i) {
        groups[j] = std::move(held);
        break;
      }
      groups[j] = std::move(groups[from]);
      j = from;
    }
  }
  for (std::size_t i = 0; i < groups.size() && i < labelled; ++i)
    groups[i].key = group_name(rec, rec.runs[groups[i].slowest], by);
  return groups;
}

}  // namespace proctrace
