// Replays time-ordered events through the process model and reports each
// process, exec segment and event as soon as it is complete. Exports write
// their rows, spans and slices from these callbacks as they go, instead of
// walking a finished model; once a process is reported its slot in the model
// is recycled, so memory follows the processes alive at once, not the size
// of the recording. Sinks name processes by Process::serial (slots are
// reused) and must not keep Process references past process_ended.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "model/event.h"
#include "model/process_tree.h"

namespace proctrace {

class LifecycleSink {
 public:
  virtual ~LifecycleSink() = default;
  // A process appears (its fork, or its first event). `parent` is the live
  // parent at that moment, when the recording has it; its last segment is
  // the program that spawned p. Keep what you need of it: by p's end the
  // parent may be gone.
  virtual void process_started(const Process& p, const Process* parent) {}
  virtual void segment_started(const Process& p, std::size_t segment) {}
  // p.segment_end(segment) is unset when the program was still running at the end.
  virtual void segment_ended(const Process& p, std::size_t segment) {}
  // Every event, after the model has taken it in; line is its JSON text.
  virtual void event(const Event& e, std::string_view line, const Process& p) {}
  // After its last segment_ended. p.end is unset when no exit was seen.
  virtual void process_ended(const Process& p) {}
};

class LifecycleWalker {
 public:
  explicit LifecycleWalker(LifecycleSink& sink) : sink_(sink) {}

  // Events must come in timestamp order.
  void add(const Event& e, std::string_view line);
  // Closes every process still open, in order of appearance.
  void finish(Nanos end_of_recording);

  const ProcessTree& tree() const { return tree_; }
  std::uint64_t events() const { return events_; }
  std::uint64_t segments() const { return segments_; }

 private:
  struct Reported {
    std::uint64_t serial = ~std::uint64_t{0};  // whose slot this is
    std::uint32_t started = 0;                 // segments reported as started
    std::uint32_t ended = 0;                   // segments reported as ended
    bool closed = true;                        // true: free slot
  };
  void start_if_new(ProcessIndex i);
  void sync_segments(ProcessIndex i, bool close_all);
  void close(ProcessIndex i);

  LifecycleSink& sink_;
  ProcessTree tree_;
  std::vector<Reported> reported_;
  std::uint64_t events_ = 0;
  std::uint64_t segments_ = 0;
};

// The name to show for a segment: the executable's base name, else argv[0]'s.
std::string_view program_name(const ExecSegment& s);

}  // namespace proctrace
