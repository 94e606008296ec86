// Reading /proc files that change or vanish under us: the helpers the
// /proc readers of the recorder (snapshots, --attach) share.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/event.h"

namespace proctrace {

// Up to cap bytes of the file `name` relative to the directory fd `dir`;
// "" when it is gone or unreadable.
std::string read_proc_at(int dir, const char* name, std::size_t cap);

// /proc/PID/cmdline's NUL-separated arguments.
std::vector<std::string> split_cmdline(const std::string& raw);

// The whole of `text` as a number (base 16 may start with "0x").
template <typename T>
bool parse_number(std::string_view text, T& out, int base = 10) {
  if (base == 16 && text.substr(0, 2) == "0x") text.remove_prefix(2);
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out, base);
  return ec == std::errc() && end == text.data() + text.size();
}

// Words separated by spaces or newlines.
std::vector<std::string_view> split_spaces(std::string_view text);

// What /proc/PID/stat says of a process.
struct ProcStat {
  std::string comm;
  char state = '?';
  Pid ppid = 0;
  Pid pgid = 0;
  Pid sid = 0;
  std::uint64_t start_ticks = 0;  // starttime, in clock ticks since boot
};
bool parse_proc_stat(const std::string& stat, ProcStat& out);

}  // namespace proctrace
