#include "tools/input_options.h"

#include <spdlog/spdlog.h>

#include "io/output_file.h"

namespace proctrace::cli {

namespace {

// Runs body and maps errors to exit codes.
int guarded(const std::function<void(Diagnostics&)>& body) {
  Diagnostics diag;
  try {
    body(diag);
  } catch (const InputError& e) {
    diag.finish();
    spdlog::error("{}", e.what());
    return kExitFailure;
  } catch (const WriteError& e) {
    spdlog::error("{}", e.what());
    return kExitFailure;
  }
  diag.finish();
  return diag.errors() ? kExitInputErrors : kExitOk;
}

std::vector<std::string> or_stdin(const std::vector<std::string>& inputs) {
  return inputs.empty() ? std::vector<std::string>{"-"} : inputs;
}

}  // namespace

int run_guarded(const std::function<void(Diagnostics&)>& body) { return guarded(body); }

int run_on_trace(const std::vector<std::string>& inputs, const LoadOptions& options,
                 const std::function<void(const Trace&)>& body) {
  return guarded([&](Diagnostics& diag) { body(*load_trace(or_stdin(inputs), diag, options)); });
}

int run_on_stream(const std::vector<std::string>& inputs, const LoadOptions& options, TraceStreamSink& sink) {
  return guarded([&](Diagnostics& diag) { stream_trace(open_inputs(or_stdin(inputs)), sink, diag, options); });
}

}  // namespace proctrace::cli
