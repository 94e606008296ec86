// The Snapshot line of a recording <-> ProcSnapshot (docs/format.md). One line
// per snapshot, so a reader that does not know the variant skips it with one
// warning, whatever the number of processes in it.
#pragma once

#include <string>
#include <string_view>

#include "model/proc_snapshot.h"

namespace proctrace {

std::string snapshot_json(const ProcSnapshot& snapshot);
// line: the whole {"Snapshot":{...}} line. False with a message on a
// malformed one; out is then unspecified.
[[nodiscard]] bool parse_snapshot_line(std::string_view line, ProcSnapshot& out, std::string& error);

}  // namespace proctrace
