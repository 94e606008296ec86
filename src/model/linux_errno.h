#pragma once

#include <string_view>

namespace proctrace {

// Linux's errno numbers (asm-generic, shared by x86-64 and arm64) and their
// names. Recordings and strace logs come from Linux; a proctrace built
// elsewhere must still name their numbers the way Linux did, so the table
// is ours rather than the host C library's.

// "ENOENT" for 2; empty for a number Linux does not define.
std::string_view linux_errno_name(int number);
// 2 for "ENOENT" (and the aliases EWOULDBLOCK, EDEADLOCK); 0 when unknown.
int linux_errno_number(std::string_view name);

}  // namespace proctrace
