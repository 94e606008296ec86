// Whether a command name would exec, found as execvp finds it: the strace
// backend asks before starting strace, so that "not found" (127) and "not
// executable" (126) mean the same as with the eBPF backend, whose child
// reports execvp's own error. strace itself exits 1 for both.
#pragma once

#include <cstddef>

namespace proctrace {

// 0 when `name` (a path if it has a '/', else searched in `path_list`, the
// value of PATH, or glibc's default when null) names an executable file for
// this process's real uid; else ENOENT (nothing there) or EACCES (found but
// not executable, or a directory). On success the file's path is copied
// into `found` (when given, and when it fits found_size). Async-signal-safe:
// no allocation, for a child between fork and exec.
[[nodiscard]] int find_executable(const char* name, const char* path_list, char* found = nullptr,
                                  std::size_t found_size = 0);

}  // namespace proctrace
