// Entry point of the strace importer: turns strace logs into lifecycle
// events, the process model, and (when asked) every syscall as a record for
// the analyses. Accepts what strace actually writes: -o or stderr logs, -f or
// not, -ff per-pid files, -t/-tt/-ttt or no timestamps, -T, -y/-yy,
// --status=..., a -c/-C summary table (see docs/strace-import.md).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "io/diagnostics.h"
#include "io/input_file.h"
#include "model/event.h"
#include "model/process_tree.h"
#include "model/recording_info.h"

namespace proctrace {

class SyscallTable;  // import/syscall_table.h, filled when requested

// True when the text looks like strace output rather than a JSONL recording.
bool looks_like_strace(std::string_view data);

// strace -ff -o PREFIX writes PREFIX.PID files: a path that does not exist
// but names such a prefix becomes the list of its files (in pid order).
// Other paths are returned unchanged.
std::vector<std::string> expand_strace_ff_prefix(const std::vector<std::string>& paths);

struct StraceImport {
  // Each lifecycle event, in timestamp order, with the index of its subject
  // process (Fork: the child) in `tree`.
  std::function<void(const Event&, ProcessIndex)> on_event;
  SyscallTable* syscalls = nullptr;  // optional: every syscall record
  unsigned threads = 0;              // parser threads; 0: one per core
  // Cut logs with pid prefixes into chunks of about this size (0: one
  // chunk per thread for logs over 8 MB). Tests use it to put chunk
  // boundaries everywhere.
  std::size_t chunk_bytes = 0;
  // A log without pid prefixes (strace -p PID, no -f): its process's pid.
  // 0: taken from the log (set_tid_address, getpid...), else pid 0.
  Pid attach_pid = 0;
  // -t/-tt logs print no date: the day of their first line, YYYY-MM-DD
  // (checked by the caller). Empty: the day the file was last written.
  std::string date;

  // Outputs.
  ProcessTree tree;  // built from the events, threads included
  Stats stats;       // event counts, end timestamp, processes alive at the end, root status
};

// inputs: one log, or the per-pid files of strace -ff. Fills meta (backend
// "strace-import", clock, source, command). Bad lines go to diag with
// file:line and are skipped. Throws InputError when no input holds a single
// strace line.
void import_strace(const std::vector<const InputFile*>& inputs, StraceImport& import, Meta& meta,
                   Diagnostics& diag);

}  // namespace proctrace
