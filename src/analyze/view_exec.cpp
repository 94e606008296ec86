// `proctrace exec`: every program executed, in time order, with its full
// command line and how it ended. Built from the process model, so it works
// on recordings and strace logs alike.
#include <algorithm>

#include "analyze/analyze_views.h"
#include "analyze/json_out.h"
#include "analyze/report_text.h"
#include "render/command_text.h"

namespace proctrace {

namespace {

struct ExecRow {
  const Process* process;
  const ExecSegment* segment;
  bool last;  // the process's final program: its exit status is this program's
};

}  // namespace

void view_exec(const Trace& trace, const AnalyzeOptions& options, OutputFile& out) {
  const ProcessTree& tree = trace.tree;
  Selection selection = select_processes(tree, options.select);
  // Counted first: a row per exec of a build is hundreds of thousands, and
  // growing the list by doubling would hold half as much again.
  std::size_t execs = 0;
  for (const Process& p : tree.processes())
    if (selection.has(p.index))
      for (auto& s : p.segments) execs += !s.inherited;
  std::vector<ExecRow> rows;
  rows.reserve(execs);
  std::uint64_t failed = 0;
  for (const Process& p : tree.processes()) {
    if (!selection.has(p.index)) continue;
    failed += p.failed_execs;
    const ExecSegment* last = nullptr;
    for (auto& s : p.segments)
      if (!s.inherited) last = &s;
    for (auto& s : p.segments)
      if (!s.inherited) rows.push_back({&p, &s, &s == last});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const ExecRow& a, const ExecRow& b) { return a.segment->start < b.segment->start; });

  ProcessNames names(tree);
  TimeOfDay time(trace.meta);
  const Stats* stats = trace.has_stats ? &trace.stats : nullptr;
  auto outcome = [&](const ExecRow& r) { return r.last ? outcome_text(*r.process, stats) : std::string("exec'd"); };
  if (options.json) {
    JsonListWriter list(out, Json::object(), "execs");
    for (auto& r : rows) {
      Json argv = Json::array();
      for (std::string_view a : r.segment->argv) argv.push_back(std::string(a));
      list.add({{"pid", r.process->pid},
                      {"process", r.process->index},
                      {"timestamp_ns", r.segment->start},
                      {"time", time(r.segment->start)},
                      {"filename", r.segment->filename},
                      {"argv", argv},
                      {"argv_truncated", r.segment->truncated},
                      {"replaced_by_exec", !r.last},
                      {"exit", r.last ? exit_json(*r.process) : Json(nullptr)}});
    }
    list.finish({{"failed_execs", failed}});
    return;
  }
  TextTable table({{"time"}, {"pid", true}, {"exit"}, {"command"}});
  table.reserve(rows.size());
  for (auto& r : rows) {
    std::string command = quote_argv(r.segment->argv);
    if (r.segment->truncated) command += " …";
    table.add({time(r.segment->start), names.pid(r.process->index), outcome(r), command});
  }
  std::string& b = out.buffer();
  b += std::to_string(rows.size()) + (rows.size() == 1 ? " program executed" : " programs executed");
  if (failed) b += " (" + std::to_string(failed) + " failed exec attempts not listed)";
  b += "\n\n";
  table.write(out);
  out.flush();
}

}  // namespace proctrace
