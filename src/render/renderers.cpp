#include "render/renderer.h"

namespace proctrace {

const std::map<std::string, RendererInfo>& renderers() {
  static const std::map<std::string, RendererInfo> table = {
      {"multiplexed", {render_multiplexed, "JSON lines in timestamp order"}},
      {"sequential", {render_multiplexed, "alias of multiplexed (the original's later name)"}},
      {"by-process", {render_by_process, "per process: a header line, then its events"}},
  };
  return table;
}

}  // namespace proctrace
