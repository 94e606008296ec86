// Reading /proc files that change or vanish under us: the helpers the
// /proc readers of the recorder (snapshots, --attach) share.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace proctrace {

// Up to cap bytes of the file `name` relative to the directory fd `dir`;
// "" when it is gone or unreadable.
std::string read_proc_at(int dir, const char* name, std::size_t cap);

// /proc/PID/cmdline's NUL-separated arguments.
std::vector<std::string> split_cmdline(const std::string& raw);

}  // namespace proctrace
