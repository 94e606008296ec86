// The process spans of a loaded process tree, in the form the critical path
// and concurrency analyses read (BuildRecording::processes), for views that
// already hold the whole model (the HTML report). Span i is the tree's
// process i; programs and runs are left empty, as those analyses do not
// read them.
#pragma once

#include "analyze/build_runs.h"
#include "model/process_tree.h"

namespace proctrace {

// end: the end of the recording, where processes without an exit stop.
BuildRecording spans_of_tree(const ProcessTree& tree, Nanos end);

}  // namespace proctrace
