// One open file descriptor of a process: what an Exec inherited (eBPF
// recorder) or what a live process held at a snapshot (/proc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace proctrace {

enum class FdKind : std::uint8_t { File, Pipe, Fifo, Socket, Tty, Anon, Other };
std::string_view fd_kind_name(FdKind kind);
std::optional<FdKind> fd_kind_from_name(std::string_view name);

// Pipes, fifos and sockets are identified by inode (and device for fifos):
// two fds with the same identity are ends of one object.
struct OpenFd {
  int fd = 0;
  FdKind kind = FdKind::Other;
  std::string target;  // as /proc/PID/fd/N links to it: "pipe:[4411]", "/dev/pts/3", a path
  std::uint64_t inode = 0;
  std::uint64_t dev = 0;
  char access = '?';  // 'r' read-only, 'w' write-only, 'u' both, '?' unknown

  bool same_object(const OpenFd& o) const {
    return kind == o.kind && inode == o.inode && dev == o.dev && inode != 0;
  }
  bool is_channel() const { return kind == FdKind::Pipe || kind == FdKind::Fifo || kind == FdKind::Socket; }
};

}  // namespace proctrace
