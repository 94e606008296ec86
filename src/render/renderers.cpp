#include "render/renderer.h"

namespace proctrace {

const std::map<std::string, RendererInfo>& renderers() {
  static const std::map<std::string, RendererInfo> table = {
      {"multiplexed", {render_multiplexed, "JSON lines in timestamp order"}},
      {"sequential", {render_multiplexed, "alias of multiplexed (the original's later name)"}},
      {"by-process", {render_by_process, "per process: a header line, then its events"}},
      {"mermaid", {render_mermaid, "Gantt chart in Mermaid syntax, one bar per exec"}},
      {"tree", {render_tree, "process tree, pstree-style, with exit statuses"}},
      {"html", {render_html, "self-contained HTML report: zoomable timeline, failures, slowest"}},
  };
  return table;
}

}  // namespace proctrace
