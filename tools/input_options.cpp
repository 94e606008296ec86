#include "tools/input_options.h"

#include <spdlog/spdlog.h>

#include "io/output_file.h"

namespace proctrace::cli {

int run_on_trace(const std::vector<std::string>& inputs, const LoadOptions& options,
                 const std::function<void(const Trace&)>& body) {
  Diagnostics diag;
  try {
    auto trace = load_trace(inputs.empty() ? std::vector<std::string>{"-"} : inputs, diag, options);
    body(*trace);
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

}  // namespace proctrace::cli
