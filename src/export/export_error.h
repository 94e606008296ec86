// A destination refused or lost data (database error, endpoint unreachable).
// Commands report it and exit with kExitFailure; nothing is dropped silently.
#pragma once

#include <stdexcept>

namespace proctrace {

struct ExportError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace proctrace
