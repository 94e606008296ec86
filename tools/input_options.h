// Shared handling of INPUT / -o for the commands that read traces.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "load/trace.h"
#include "load/trace_stream.h"

namespace proctrace::cli {

// Loads the trace, runs body, and maps errors to exit codes: kExitFailure
// when nothing could be read or written, kExitInputErrors when bad lines
// were skipped, else kExitOk.
int run_on_trace(const std::vector<std::string>& inputs, const LoadOptions& options,
                 const std::function<void(const Trace&)>& body);

// The same for a body that reads its inputs itself (several recordings).
int run_guarded(const std::function<void(Diagnostics&)>& body);

// The same for views that read the trace as a stream.
int run_on_stream(const std::vector<std::string>& inputs, const LoadOptions& options, TraceStreamSink& sink);

}  // namespace proctrace::cli
