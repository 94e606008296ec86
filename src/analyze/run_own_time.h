// A run's own time: its wall time minus the time at least one child
// process of its process was alive (the time it waited for recorded
// children). What a slower compiler adds shows here, in cc1, rather than
// in every wrapper and make above it.
#pragma once

#include <vector>

#include "analyze/build_runs.h"

namespace proctrace {

// own[i] for rec.runs[i].
std::vector<Nanos> run_own_times(const BuildRecording& rec);

}  // namespace proctrace
