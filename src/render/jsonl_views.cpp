#include "io/event_json.h"
#include "render/command_text.h"
#include "render/renderer.h"

namespace proctrace {

std::vector<std::vector<std::size_t>> events_by_process(const Trace& trace) {
  std::vector<std::vector<std::size_t>> groups(trace.tree.size());
  for (std::size_t i = 0; i < trace.events.size(); ++i) {
    ProcessIndex p = trace.events[i].process;
    if (p != kNoProcess) groups[p].push_back(i);
  }
  return groups;
}

namespace {

void write_line(OutputFile& out, std::string_view line) {
  auto& b = out.buffer();
  b += line;
  b += '\n';
  out.maybe_flush();
}

}  // namespace

void write_sorted(const Trace& trace, OutputFile& out, SortMode mode) {
  if (trace.has_meta) write_line(out, meta_json(trace.meta));
  if (mode == SortMode::Timestamp) {
    for (auto& e : trace.events) write_line(out, e.line);
  } else {
    for (auto& group : events_by_process(trace))
      for (std::size_t i : group) write_line(out, trace.events[i].line);
  }
  if (trace.has_stats) write_line(out, stats_json(trace.stats));
  out.flush();
}

void render_multiplexed(const Trace& trace, OutputFile& out, const RenderOptions&) {
  for (auto& e : trace.events) write_line(out, e.line);
  out.flush();
}

void render_by_process(const Trace& trace, OutputFile& out, const RenderOptions&) {
  auto groups = events_by_process(trace);
  bool first = true;
  for (std::size_t p = 0; p < groups.size(); ++p) {
    const Process& proc = trace.tree[static_cast<ProcessIndex>(p)];
    auto& b = out.buffer();
    if (!first) b += '\n';
    first = false;
    b += "# pid ";
    b += std::to_string(proc.pid);
    b += ": ";
    const auto* cmd = proc.command();
    b += cmd ? quote_argv(*cmd) : "(unknown command)";  // one line: control characters escaped
    b += '\n';
    for (std::size_t i : groups[p]) write_line(out, trace.events[i].line);
  }
  out.flush();
}

}  // namespace proctrace
