#include "model/lifecycle_walker.h"

#include <algorithm>

namespace proctrace {

void LifecycleWalker::sync_segments(ProcessIndex i, bool close_all) {
  const Process& p = tree_[i];
  Reported& r = reported_[i];
  const auto count = static_cast<std::uint32_t>(p.segments.size());
  // Closing first keeps a process's slices properly nested: the old program
  // ends where the new one begins.
  while (r.ended < count && r.ended < r.started && (close_all || p.segment_end(r.ended))) {
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
  tree_.release(i);
}

void LifecycleWalker::start_if_new(ProcessIndex i) {
  const Process& p = tree_[i];
  Reported& r = reported_[i];
  if (!r.closed && r.serial == p.serial) return;
  r = Reported{p.serial, 0, 0, false};
  sink_.process_started(p, p.parent == kNoProcess ? nullptr : &tree_[p.parent]);
}

void LifecycleWalker::add(const Event& e, std::string_view line) {
  // A reused pid means the previous holder's exit was missed; it is closed
  // when the new process takes the pid over.
  std::optional<ProcessIndex> displaced;
  if (e.kind == EventKind::Fork) displaced = tree_.live(e.child_pid);

  const ProcessIndex i = tree_.add(e);
  events_++;
  if (reported_.size() < tree_.size()) reported_.resize(tree_.size());
  if (displaced && *displaced != i && !reported_[*displaced].closed && tree_[*displaced].pid == e.child_pid)
    close(*displaced);

  // Only the forking parent and the event's own process can be new.
  const ProcessIndex parent = e.kind == EventKind::Fork ? tree_[i].parent : kNoProcess;
  if (parent != kNoProcess) start_if_new(parent);
  start_if_new(i);
  if (parent != kNoProcess) sync_segments(parent, false);
  sync_segments(i, false);
  sink_.event(e, line, tree_[i]);
  if (tree_[i].end) close(i);
}

void LifecycleWalker::finish(Nanos end_of_recording) {
  tree_.finish(end_of_recording);
  // In order of appearance, as a tree without recycling would list them.
  std::vector<std::pair<std::uint64_t, ProcessIndex>> open;
  for (std::size_t n = 0; n < reported_.size(); ++n)
    if (!reported_[n].closed) open.emplace_back(reported_[n].serial, static_cast<ProcessIndex>(n));
  std::sort(open.begin(), open.end());
  for (auto& [serial, slot] : open) close(slot);
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
