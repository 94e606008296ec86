// Entry points of `proctrace record` (tools/cmd_record.cpp calls record()).
#pragma once

#include <optional>
#include <string>

#include "record/record_options.h"
#include "record/user_rights.h"

namespace proctrace {

// Runs options.command with the backend asked for; `auto` takes eBPF when
// this process may load it and falls back to strace with a note on stderr.
// Returns the process exit code: the target's shell-style status, or a
// kExit* code of io/diagnostics.h when proctrace itself failed.
int record(const RecordOptions& options);

// The eBPF recorder (src/record/bpf_backend.cpp).
int record_with_bpf(const RecordOptions& options, const std::optional<InvokingUser>& user);

}  // namespace proctrace
