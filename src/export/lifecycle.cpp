#include "export/lifecycle.h"

namespace proctrace {

void LifecycleWalker::sync_segments(ProcessIndex i, bool close_all) {
  const Process& p = tree_[i];
  Reported& r = reported_[i];
  const auto count = static_cast<std::uint32_t>(p.segments.size());
  // Closing first keeps a process's slices properly nested: the old program
  // ends where the new one begins.
  while (r.ended < count && r.ended < r.started && (close_all || p.segments[r.ended].end)) {
    sink_.segment_ended(p, r.ended++);
  }
  while (r.started < count) {
    sink_.segment_started(p, r.started++);
    segments_++;
    if (close_all) sink_.segment_ended(p, r.ended++);
  }
}

void LifecycleWalker::close(ProcessIndex i) {
  if (reported_[i].closed) return;
  sync_segments(i, true);
  reported_[i].closed = true;
  sink_.process_ended(tree_[i]);
}

void LifecycleWalker::add(const Event& e, std::string_view line) {
  const std::size_t before = tree_.size();
  // A reused pid means the previous holder's exit was missed; it is closed
  // when the new process takes the pid over.
  std::optional<ProcessIndex> displaced;
  if (e.kind == EventKind::Fork) displaced = tree_.live(e.child_pid);

  const ProcessIndex i = tree_.add(e);
  events_++;
  reported_.resize(tree_.size());
  if (displaced && *displaced != i) close(*displaced);

  for (std::size_t n = before; n < tree_.size(); ++n) {
    const Process& p = tree_[static_cast<ProcessIndex>(n)];
    sink_.process_started(p, p.parent == kNoProcess ? nullptr : &tree_[p.parent]);
  }
  if (e.kind == EventKind::Fork) {
    const ProcessIndex parent = tree_[i].parent;
    if (parent != kNoProcess) sync_segments(parent, false);
  }
  sync_segments(i, false);
  sink_.event(e, line, tree_[i]);
  if (tree_[i].end) close(i);
}

void LifecycleWalker::finish(Nanos end_of_recording) {
  tree_.finish(end_of_recording);
  for (std::size_t n = 0; n < tree_.size(); ++n) close(static_cast<ProcessIndex>(n));
}

std::string_view program_name(const ExecSegment& s) {
  std::string_view path = !s.filename.empty() ? std::string_view(s.filename)
                          : !s.argv.empty()   ? std::string_view(s.argv[0])
                                              : std::string_view();
  if (auto slash = path.rfind('/'); slash != std::string_view::npos && slash + 1 < path.size())
    path.remove_prefix(slash + 1);
  return path;
}

}  // namespace proctrace
