#include "render/renderer.h"

namespace proctrace {

const std::map<std::string, RendererInfo>& renderers() {
  static const std::map<std::string, RendererInfo> table = {
      {"multiplexed", {nullptr, multiplexed_view, "JSON lines in timestamp order"}},
      {"sequential", {nullptr, multiplexed_view, "alias of multiplexed (the original's later name)"}},
      {"by-process", {nullptr, by_process_view, "per process: a header line, then its events"}},
      {"mermaid", {nullptr, mermaid_view, "Gantt chart in Mermaid syntax, one bar per exec"}},
      {"tree", {render_tree, nullptr, "process tree, pstree-style, with exit statuses"}},
      // The report's inherited fds are read back from the Exec lines.
      {"html",
       {render_html, nullptr, "self-contained HTML report: zoomable timeline, failures, slowest",
        LoadOptions::Events::ExecsWithFds}},
  };
  return table;
}

}  // namespace proctrace
