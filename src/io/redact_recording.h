// A recording with its secrets masked (model/redact.h): the argv of exec
// events, the recorded command in Meta and the command lines of Snapshot
// processes. For `record --report-dir`, whose files are made to be shared;
// every view of the report is built from this copy, so each shows the same
// "***" and none shows the secret.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/redact_patterns.h"

namespace proctrace {

struct RedactedRecording {
  std::string text;
  std::uint64_t lines_changed = 0;
  // Lines that did not parse, or of a kind this version does not know:
  // left out, since nobody can say what they hold.
  std::uint64_t lines_dropped = 0;
};

// `patterns` (--redact-pattern) are applied to the same text, before the
// built-in shapes.
RedactedRecording redact_recording(std::string_view recording, const RedactPatterns& patterns = {});

}  // namespace proctrace
