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

std::string group_name(const BuildRecording& rec, const ProgramRun& run, GroupKey by) {
  const ProcessSpan& p = rec.processes[run.process];
  switch (by) {
    case GroupKey::Program:
      return std::string(rec.program(run.program));
    case GroupKey::Command:
      return quote_argv(rec.argv(run));
    case GroupKey::Cwd:
      return p.cwd ? rec.cwds[*p.cwd] : std::string("?");
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

std::vector<GroupStats> group_stats(const BuildRecording& rec, GroupKey by) {
  if (by == GroupKey::Cwd && !rec.has_cwd)
    throw InputError("this recording has no working directories (record it with a recorder that writes cwd)");
  // Keyed by the group's name; the key moves into the row at the end, so
  // each name is held once (grouping by command has a name per run).
  std::unordered_map<std::string, GroupStats> by_name;
  for (std::uint32_t i = 0; i < rec.runs.size(); ++i) {
    const ProgramRun& run = rec.runs[i];
    GroupStats& g = by_name[group_name(rec, run, by)];
    ++g.runs;
    if (rec.failed(run)) ++g.failed;
    g.total += run.duration();
    if (g.slowest == kNoRun || run.duration() > g.max) g.max = run.duration(), g.slowest = i;
    // CPU and memory are measured per process: they belong to its last run.
    const ProcessSpan& p = rec.processes[run.process];
    if (run.last && p.cpu) g.cpu = g.cpu.value_or(0) + *p.cpu;
    if (run.last && p.peak_rss_bytes) g.peak_rss_bytes = std::max(g.peak_rss_bytes.value_or(0), *p.peak_rss_bytes);
  }
  std::vector<GroupStats> groups;
  groups.reserve(by_name.size());
  while (!by_name.empty()) {
    auto node = by_name.extract(by_name.begin());
    node.mapped().key = std::move(node.key());
    groups.push_back(std::move(node.mapped()));
  }
  std::sort(groups.begin(), groups.end(), [](const GroupStats& a, const GroupStats& b) {
    return a.total != b.total ? a.total > b.total : a.key < b.key;
  });
  return groups;
}

}  // namespace proctrace
