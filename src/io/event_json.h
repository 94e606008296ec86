// One recording line <-> one Event / Meta / Stats.
#pragma once

#include <string>
#include <string_view>

#include "model/event.h"
#include "model/proc_snapshot.h"
#include "model/recording_info.h"

namespace proctrace {

// Appends the event as one JSON object, externally tagged
// ({"Exec":{...}}), without the trailing newline.
void append_event_json(std::string& out, const Event& e);
std::string meta_json(const Meta& meta);
std::string stats_json(const Stats& stats);

enum class LineKind { Event, Meta, Stats, Snapshot, UnknownVariant };

// Parses one line. On failure returns false with a message saying what was
// expected. An unknown variant is not a failure: kind = UnknownVariant and
// error names it, so newer files stay readable.
struct ParsedLine {
  LineKind kind = LineKind::Event;
  Event event;
  Meta meta;
  Stats stats;
  ProcSnapshot snapshot;
  std::string error;
  // Strings held bytes that are not UTF-8; they were replaced by U+FFFD, so
  // the line's text differs from what was parsed and must not be copied.
  bool replaced_invalid_utf8 = false;
};
bool parse_line(std::string_view line, ParsedLine& out);

}  // namespace proctrace
