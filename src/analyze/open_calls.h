// The file an open-family record opened (or failed to open), for the files,
// directories and pid views.
#pragma once

#include <string>
#include <string_view>

#include "analyze/open_path.h"
#include "import/syscall_table.h"

namespace proctrace {

struct OpenedFile {
  std::string_view path;      // requested path made absolute, lexically normalised (in scratch)
  std::string_view resolved;  // the returned fd's path from -y ("" without -y or on failure)
  bool truncated = false;     // strace cut the requested path (-s)
  bool known = false;         // the path argument could be read at all
};

// Opens are the calls whose name is open, creat, openat or openat2.
bool is_open_call(std::string_view syscall);

// scratch holds the path text; the result is valid until its next use.
// Without -y (relative path, unknown directory) the path stays relative;
// when the argument is unreadable the -y path stands in.
OpenedFile opened_file(const SyscallTable& table, const SyscallRecord& r, std::string& scratch);

}  // namespace proctrace
