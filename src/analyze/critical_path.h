// The critical path of a recording: the chain of processes that determined
// when it ended. From the root, the child whose end is the latest before
// its parent's end is the one the parent waited for last; inside that child
// the same rule applies again, down to a process with no child to wait for.
// Back at each parent, the walk continues from the moment that child
// started, with the child that ended latest before then, and so on back to
// the parent's start. The stretches this assigns to a parent itself are the
// times it waited for nothing recorded (its own work, or I/O, a lock, a
// network reply). Every instant of the root's life lands on exactly one
// process, so the steps add up to the wall-clock time.
//
// A process tree shows who waited for whom, not why: a link that waited for
// a compile through make's dependency graph shows as make waiting for both
// in turn, and a file one job writes and another reads is invisible.
#pragma once

#include <cstdint>
#include <vector>

#include "analyze/build_runs.h"

namespace proctrace {

// One stretch of the path: span (kNoSpan: the recording itself, between
// its root processes) was what everything waited on from `from` to `to`.
struct CriticalStep {
  std::uint32_t span = kNoSpan;
  std::uint32_t depth = 0;     // 0: a root process
  Nanos from = 0;
  Nanos to = 0;
  bool waiting_parent = false;  // span has children on the path: this is one of its gaps

  Nanos duration() const { return to - from; }
};

// A process on the path with the time the path spent in it.
struct CriticalProcess {
  std::uint32_t span = kNoSpan;
  Nanos own = 0;  // the sum of its steps
};

struct CriticalPath {
  std::vector<CriticalStep> steps;          // in time order
  std::vector<CriticalProcess> processes;   // by own time, largest first
  Nanos total = 0;                          // the sum of all steps: first start to last end
};

CriticalPath critical_path(const BuildRecording& rec);

}  // namespace proctrace
