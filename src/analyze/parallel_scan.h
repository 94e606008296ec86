// One pass over every syscall record, split across threads: the records are
// cut into one contiguous run of log order per worker, so a worker's results
// come before the next worker's in log order and can be merged in order.
#pragma once

#include <cstddef>
#include <functional>
#include <span>

#include "import/syscall_table.h"

namespace proctrace {

// How many workers a scan of this table uses: one per core, fewer for small
// tables (threads cost more than they save below ~100k records).
unsigned scan_workers(const SyscallTable& table);

// Calls visit(worker, records) for each piece of worker's run, on its own
// thread (worker 0 on the calling thread). workers must match the size of
// the caller's per-worker state.
void scan_records(const SyscallTable& table, unsigned workers,
                  const std::function<void(unsigned worker, std::span<const SyscallRecord> records)>& visit);

}  // namespace proctrace
