// Picking the records a view lists: by syscall name and process selection,
// in one parallel pass, keeping log order.
#pragma once

#include <functional>
#include <string_view>
#include <string>
#include <vector>

#include "analyze/selection.h"
#include "import/syscall_table.h"

namespace proctrace {

// Which syscall ids of the table have a name accepted by wanted (indexed by
// SyscallId).
std::vector<bool> syscall_ids(const SyscallTable& table, const std::function<bool(std::string_view)>& wanted);

// Records whose name is in ids and whose task is selected, in log order.
std::vector<const SyscallRecord*> collect_records(const SyscallTable& table, const Selection& selection,
                                                  const std::vector<bool>& ids);

// Sorts records by start time, ties in their current (log) order.
void sort_by_start(std::vector<const SyscallRecord*>& records);

// The call lists' orders (files -s, io -s): "time" (by start), "duration"
// (slowest first, calls without a duration last) or "pid" (then by start).
const std::vector<std::string>& call_sort_keys();
void sort_calls(std::vector<const SyscallRecord*>& records, const std::string& key);

}  // namespace proctrace
