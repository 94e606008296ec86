// Names of the syscalls a stuck process is usually found in, by number on the
// machine proctrace was built for. The recording stores the name, so a
// snapshot reads the same on another machine or architecture.
#pragma once

#include <string_view>

namespace proctrace {

// "" for numbers outside the table (the recording then keeps the number only).
std::string_view blocking_syscall_name(long nr);
// Whether the syscall's first (open, creat) or second (openat, openat2)
// argument is a path worth reading from the process: 0 or 1, -1 for none.
int syscall_path_arg(long nr);

}  // namespace proctrace
