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
#include "model/open_fd.h"

namespace proctrace {

// The snapshot's descriptors are the same records as an Exec's inherited ones.
using SnapshotFd = OpenFd;

// The syscall a process sleeps in (/proc/PID/syscall). nr -1 and no name:
// blocked outside any syscall (page fault, stopped); no value: running on a
// CPU. From an strace log (the call cut off by its end): a name, nr -1.
struct BlockedSyscall {
  long nr = -1;
  std::string name;  // from the recording machine's table; empty when unknown
  std::vector<std::uint64_t> args;
  std::string path;  // open/openat/stat...: the path argument, read from the process
  // The path is a fifo the strace log saw made (a recorder snapshot tells
  // by wchan instead). Not written to recordings.
  bool fifo = false;

  bool known() const { return nr >= 0 || !name.empty(); }
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
