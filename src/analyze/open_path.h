// The path an open-family call asked for, read back from strace's argument
// text, and the lexical path arithmetic the files/directories views need.
// Paths stay in strace's printed form (escapes such as \" or \303 as
// printed), like SyscallRecord::fd_path(), so both compare equal.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace proctrace {

enum class OpenCall : std::uint8_t {
  None,
  Path,         // open(path, ...), creat(path, ...)
  DirfdPath,    // openat(dirfd, path, ...), openat2(dirfd, path, ...)
};
OpenCall open_call(std::string_view syscall);

struct OpenArgs {
  std::string_view dir;   // dirfd's path from -y ("AT_FDCWD</home/u>"); "" without
  std::string_view path;  // the requested path as printed, without quotes
  bool truncated = false; // strace cut the string (-s): it ends in "..."
};
// Reads the path argument; nullopt when it is not a string (NULL, an address
// strace could not read).
std::optional<OpenArgs> parse_open_args(OpenCall call, std::string_view args);

// Writes into out the path made absolute against dir (when dir is known and
// path relative) and lexically normalised: "//" and "." dropped, ".." taken
// back. Relative paths without dir stay relative ("" becomes ".").
void resolve_path(std::string& out, std::string_view dir, std::string_view path);

// The directory holding path: "/a/b" -> "/a", "/a" -> "/", "a/b" -> "a",
// "a" -> "."; "/" and "." have no parent: "".
std::string_view parent_directory(std::string_view path);

}  // namespace proctrace
