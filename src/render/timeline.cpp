#include "render/timeline.h"

namespace proctrace {

std::string recorded_command(const Trace& trace, const ShortenLimits& limits) {
  if (!trace.meta.command.empty()) return short_command(trace.meta.command, limits);
  if (!trace.tree.roots().empty())
    if (const auto* argv = trace.tree[trace.tree.roots().front()].command()) return short_command(*argv, limits);
  return "process trace";
}

}  // namespace proctrace
