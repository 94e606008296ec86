// Entry point of the strace importer: turns strace logs into lifecycle
// events (and, when asked, per-syscall records for the analyses).
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "io/diagnostics.h"
#include "io/input_file.h"
#include "model/event.h"
#include "model/recording_info.h"

namespace proctrace {

class SyscallTable;  // import/syscall_table.h, filled when requested

// True when the text looks like strace output rather than a JSONL recording.
bool looks_like_strace(std::string_view data);

struct StraceImport {
  // Every lifecycle event, in timestamp order.
  std::function<void(const Event&)> on_event;
  SyscallTable* syscalls = nullptr;  // optional
};

// inputs: one log, or the per-pid files of strace -ff. Fills meta (backend
// "strace-import", clock, source). Problems go to diag with file:line.
void import_strace(const std::vector<const InputFile*>& inputs, StraceImport& import, Meta& meta,
                   Diagnostics& diag);

}  // namespace proctrace
