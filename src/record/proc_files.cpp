#include "record/proc_files.h"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace proctrace {

std::string read_proc_at(int dir, const char* name, std::size_t cap) {
  std::string out;
  int fd = ::openat(dir, name, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return out;
  char buf[4096];
  while (out.size() < cap) {
    ssize_t n = ::read(fd, buf, std::min(sizeof buf, cap - out.size()));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

std::vector<std::string_view> split_spaces(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t start = text.find_first_not_of(" \n", pos);
    if (start == std::string_view::npos) break;
    std::size_t end = text.find_first_of(" \n", start);
    if (end == std::string_view::npos) end = text.size();
    words.push_back(text.substr(start, end - start));
    pos = end;
  }
  return words;
}

// "pid (comm) S ppid pgrp session ... starttime(22) ...": comm may hold
// spaces and parentheses, so fields count from the last ')'.
bool parse_proc_stat(const std::string& stat, ProcStat& out) {
  std::size_t open = stat.find('(');
  std::size_t close = stat.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return false;
  auto fields = split_spaces(std::string_view(stat).substr(close + 1));
  if (fields.size() < 20 || fields[0].size() != 1) return false;
  out.comm = stat.substr(open + 1, close - open - 1);
  out.state = fields[0][0];
  return parse_number(fields[1], out.ppid) && parse_number(fields[2], out.pgid) && parse_number(fields[3], out.sid) &&
         parse_number(fields[19], out.start_ticks);
}

std::vector<std::string> split_cmdline(const std::string& raw) {
  std::vector<std::string> argv;
  std::size_t pos = 0;
  while (pos < raw.size()) {
    std::size_t end = raw.find('\0', pos);
    if (end == std::string::npos) end = raw.size();
    argv.emplace_back(raw, pos, end - pos);
    pos = end + 1;
  }
  return argv;
}

}  // namespace proctrace
