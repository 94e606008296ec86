// Shared handling of INPUT / -o for the commands that read traces.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "load/trace.h"
#include "load/trace_stream.h"

namespace CLI {
class App;
}

namespace proctrace::cli {

// The options of how an input is read, shared by every reading command:
// --attach-pid (a log of strace -p PID without -f names no pid).
void add_load_options(CLI::App& cmd, LoadOptions& load);

// The width of the terminal `output` ("-": stdout) is shown on, for views
// that cut lines to fit as pstree does; 0 when it is a file or a pipe.
std::size_t terminal_width(const std::string& output);

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
