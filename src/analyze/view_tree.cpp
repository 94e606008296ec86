// `proctrace tree`: render -d tree's drawing, narrowed to the subtrees of the
// -p processes (-r adds their ancestors up to the root), with -t drawing each
// thread on its own line.
#include <algorithm>

#include "analyze/analyze_views.h"
#include "analyze/json_out.h"
#include "analyze/report_text.h"
#include "model/thread_grouping.h"
#include "render/command_text.h"
#include "render/renderer.h"

namespace proctrace {

void view_tree(const Trace& trace, const AnalyzeOptions& options, OutputFile& out) {
  const ProcessTree& tree = trace.tree;
  RenderOptions render;
  render.thread_lines = options.select.threads;
  render.truncate = options.truncate;
  render.line_width = options.line_width;
  if (!options.select.pids.empty()) {
    // -t means thread lines here: a thread id always names its process.
    SelectOptions select = options.select;
    select.threads = true;
    select.related = false;
    Selection selection = select_processes(tree, select);
    render.include.assign(tree.size(), false);
    // Processes come after their parents (fork order), so one forward pass
    // marks every descendant.
    for (const Process& p : tree.processes())
      render.include[p.index] = selection.has(p.index) || (p.parent != kNoProcess && render.include[p.parent]);
    if (options.select.related)
      for (const Process& p : tree.processes())
        if (selection.has(p.index))
          for (ProcessIndex a = p.parent; a != kNoProcess && !render.include[a]; a = tree[a].parent)
            render.include[a] = true;
  }
  if (!options.json) {
    render_tree(trace, out, render);
    return;
  }
  // Flat, in drawing order (pre-order), so a 100k-deep chain stays flat JSON.
  const Stats* stats = trace.has_stats ? &trace.stats : nullptr;
  auto drawn = [&](ProcessIndex p) { return render.include.empty() || render.include[p]; };
  JsonListWriter list(out, Json::object(), "processes");
  InferredThreadGroups grouped(trace.meta);
  std::vector<std::pair<ProcessIndex, std::size_t>> stack;
  for (const Process& p : tree.processes())
    if (drawn(p.index) && (p.parent == kNoProcess || !drawn(p.parent))) stack.emplace_back(p.index, 0);
  std::reverse(stack.begin(), stack.end());
  while (!stack.empty()) {
    auto [i, depth] = stack.back();
    stack.pop_back();
    const Process& p = tree[i];
    Json argvs = Json::array();
    for (auto& s : p.segments)
      if (!s.inherited) argvs.push_back(s.argv.to_vector());
    Json row = {{"pid", p.pid},
                {"process", p.index},
                {"parent", p.parent == kNoProcess ? Json(nullptr) : Json(p.parent)},
                {"depth", depth},
                {"command", ProcessNames::command(p)},
                {"execs", std::move(argvs)},
                {"outcome", outcome_text(p, stats)},
                {"exit", exit_json(p)},
                {"threads", p.threads}};
    if (grouped.has(p)) {
      row["command"] = row["command"].get<std::string>() + grouped.label(p);
      row["threads_inferred"] = true;
    }
    list.add(row);
    for (std::size_t c = p.children.size(); c-- > 0;)
      if (drawn(p.children[c])) stack.emplace_back(p.children[c], depth + 1);
  }
  list.finish();
}

}  // namespace proctrace
