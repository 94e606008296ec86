#include "analyze/tree_spans.h"

#include <algorithm>

namespace proctrace {

BuildRecording spans_of_tree(const ProcessTree& tree, Nanos end) {
  BuildRecording rec;
  rec.processes.reserve(tree.size());
  rec.first = tree.first_timestamp();
  rec.last = std::max(end, rec.first);
  for (const Process& p : tree.processes()) {
    ProcessSpan s;
    s.pid = p.pid;
    s.parent = p.parent == kNoProcess ? kNoSpan : static_cast<std::uint32_t>(p.parent);
    s.start = p.start;
    s.exited = p.end.has_value();
    s.exit = p.exit;
    // As read_build_recording does: no exit runs to the end; never before the start.
    s.end = std::max(p.end.value_or(rec.last), p.start);
    rec.processes.push_back(s);
  }
  return rec;
}

}  // namespace proctrace
