#include <spdlog/spdlog.h>

#include "io/diagnostics.h"
#include "record/record_options.h"

namespace proctrace {

int record_with_strace(const RecordOptions&) {
  spdlog::error("the strace backend is not implemented yet");
  return kExitFailure;
}

}  // namespace proctrace
