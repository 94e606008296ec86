// Reading the fields of an event line ({"Exec":{...}}'s inner object) into
// an Event: which names mean what, in this format and in the original
// proctrace's, and the checks each value gets. parse_line (event_json.h)
// dispatches on the variant and calls this for every event.
#pragma once

#include "io/json_text.h"
#include "model/event.h"

namespace proctrace {

// Reads {"name":value,...} at the cursor into e (cleared by the caller).
// False, with the cursor's error naming the field, on the first bad value.
bool parse_event_fields(json::Cursor& c, Event& e);

}  // namespace proctrace
