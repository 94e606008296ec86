// How many processes of a recording were working at each moment. A process
// counts as working while it is alive and none of its recorded children
// is: make waiting for its jobs, or a compiler driver waiting for cc1, is
// not doing the work, and counting it would make a serial chain of
// wrappers look parallel. The count is at least 1 whenever any process is
// alive, so "parallelism 1" marks the serial stretches of a build.
//
// Limits: a process that works while its children run (make -j reading
// makefiles, a pipeline's stages) counts as waiting; a process waiting on
// something outside the tree (network, a lock) counts as working.
#pragma once

#include <cstdint>
#include <vector>

#include "analyze/build_runs.h"

namespace proctrace {

// A maximal stretch with exactly one process working.
struct SerialStretch {
  Nanos from = 0;
  Nanos to = 0;
  std::uint32_t span = kNoSpan;  // the process that worked longest in it

  Nanos duration() const { return to - from; }
};

struct Concurrency {
  Nanos busy = 0;              // time with at least one process alive
  Nanos working_time = 0;      // the sum over processes of their working time
  Nanos serial = 0;            // time with exactly one process working
  std::uint32_t peak = 0;      // most processes working at once
  std::vector<Nanos> time_at;  // time_at[n]: time with n processes working (n <= peak)
  std::vector<SerialStretch> longest_serial;  // the longest few, longest first
  // The count over time as steps: working[i] processes from at[i] to at[i+1].
  std::vector<Nanos> at;
  std::vector<std::uint32_t> working;

  double average() const { return busy ? static_cast<double>(working_time) / static_cast<double>(busy) : 0.0; }
};

// keep_steps: fill `at`/`working` (one entry per change; for graphs).
Concurrency concurrency(const BuildRecording& rec, bool keep_steps = false, std::size_t longest = 5);

// The step function resampled into `buckets` equal slices of [first, last]:
// the average number of processes working in each.
std::vector<double> concurrency_series(const Concurrency& c, Nanos first, Nanos last, std::size_t buckets);

}  // namespace proctrace
