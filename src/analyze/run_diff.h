// Two recordings of the same job compared run by run (`proctrace diff`).
// Runs match when their program and normalized command line
// (analyze/argv_normalize.h) are equal; runs with the same key pair up in
// the order they started, so a command repeated five times matches five
// times. What is left over is new (only in the second) or gone.
#pragma once

#include <cstdint>
#include <vector>

#include "analyze/build_runs.h"

namespace proctrace {

struct RunChange {
  std::uint32_t before = kNoRun;  // index into the first recording's runs; none: new
  std::uint32_t after = kNoRun;   // index into the second's; none: gone
  Nanos wall_before = 0, wall_after = 0;
  Nanos own_before = 0, own_after = 0;  // analyze/run_own_time.h

  // What sorts the report: the change in own time, so a slower cc1 comes
  // before the make and gcc that only waited for it. New and gone runs
  // count with their whole own time.
  std::int64_t impact() const { return static_cast<std::int64_t>(own_after) - static_cast<std::int64_t>(own_before); }
  bool matched() const { return before != kNoRun && after != kNoRun; }
};

struct RunDiff {
  Nanos wall_before = 0, wall_after = 0;
  std::vector<RunChange> changes;  // every run of both, by |impact|, largest first
  std::vector<RunChange> status_changes;  // matched runs that passed in one and failed in the other
};

RunDiff diff_runs(const BuildRecording& before, const BuildRecording& after);

}  // namespace proctrace
