// Turns one ring-buffer record of the kernel side (struct pt_event of
// bpf/proctrace_events.h) into an Event.
#pragma once

#include <cstddef>

#include "model/event.h"

namespace proctrace {

// Fills `out` in place, reusing its strings' capacity. Returns false for a
// record that is too short or of an unknown kind (out is then unspecified).
bool decode_bpf_event(const void* data, std::size_t size, Event& out);

}  // namespace proctrace
