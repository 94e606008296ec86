// A snapshot of the live processes of a recorded subtree, taken from /proc
// when a recording ends with work still running (timeout, the root exited,
// a signal to the recorder). One Snapshot line of a recording (docs/format.md).
// It answers "who is still here, what is each stuck on, who holds the pipe".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/event.h"

namespace proctrace {

enum class FdKind : std::uint8_t { File, Pipe, Fifo, Socket, Tty, Anon, Other };
std::string_view fd_kind_name(FdKind kind);
std::optional<FdKind> fd_kind_from_name(std::string_view name);

// One open descriptor. Pipes, fifos and sockets are identified by inode (and
// device for fifos): two fds with the same identity are ends of one object.
struct SnapshotFd {
  int fd = 0;
  FdKind kind = FdKind::Other;
  std::string target;  // what /proc/PID/fd/N links to: "pipe:[4411]", "/dev/pts/3", a path
  std::uint64_t inode = 0;
  std::uint64_t dev = 0;
  char access = '?';  // 'r' read-only, 'w' write-only, 'u' both, '?' unknown

  bool same_object(const SnapshotFd& o) const {
    return kind == o.kind && inode == o.inode && dev == o.dev && inode != 0;
  }
  bool is_channel() const { return kind == FdKind::Pipe || kind == FdKind::Fifo || kind == FdKind::Socket; }
};

// The syscall a process sleeps in (/proc/PID/syscall). nr -1: blocked
// outside any syscall (page fault, stopped); no value: running on a CPU.
struct BlockedSyscall {
  long nr = -1;
  std::string name;  // from the recording machine's table; empty when unknown
  std::vector<std::uint64_t> args;
  std::string path;  // open/openat/stat...: the path argument, read from the process
};

struct SnapshotProcess {
  Pid pid = 0;
  Pid ppid = 0;
  Pid pgid = 0;
  Pid sid = 0;
  bool in_subtree = true;  // false: outside the recorded tree, listed because it holds one of its pipes
  char state = '?';        // R S D T t Z X I
  Nanos start_timestamp = 0;  // on the recording clock (CLOCK_BOOTTIME)
  std::string comm;
  std::vector<std::string> cmdline;
  std::optional<BlockedSyscall> syscall;
  std::string wchan;  // kernel function it sleeps in, "" when running or hidden
  std::vector<SnapshotFd> fds;  // outside processes: only the fds shared with the subtree
  bool fds_truncated = false;

  const SnapshotFd* find_fd(int fd) const {
    for (auto& f : fds)
      if (f.fd == fd) return &f;
    return nullptr;
  }
};

struct ProcSnapshot {
  Nanos timestamp = 0;
  std::string reason;  // "timeout", "root-exited", "SIGINT", "SIGTERM", "SIGQUIT", ...
  Pid root = 0;         // the recorded command's pid
  // The recorder's own stdin/stdout/stderr when it started the command (the
  // command inherited them): what "the job's stdout" means.
  std::vector<SnapshotFd> job_stdio;
  std::vector<SnapshotProcess> processes;  // subtree first, by pid; then outside holders
  Nanos duration_ns = 0;             // what taking it cost
  std::uint64_t processes_scanned = 0;  // /proc entries looked at for outside holders
  bool truncated = false;            // a bound was hit; some holders may be missing

  const SnapshotProcess* find(Pid pid) const {
    for (auto& p : processes)
      if (p.pid == pid) return &p;
    return nullptr;
  }
};

}  // namespace proctrace
