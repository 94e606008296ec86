// The event model: one lifecycle event of one process, as recorded by the BPF
// backend, converted from strace, or read back from a recording file.
//
// Names follow the original Rust proctrace's serde variants and fields so its
// files stay readable (see docs/format.md); fields we add never rename theirs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/open_fd.h"
#include "model/resource_usage.h"

namespace proctrace {

// Timestamps are nanoseconds on the recording's clock (Meta.clock; the BPF
// backend uses CLOCK_BOOTTIME), so they order correctly across processes and
// convert to wall-clock time with Meta.clock_offset_ns.
using Nanos = std::uint64_t;
using Pid = std::int32_t;

enum class EventKind : std::uint8_t {
  Fork,
  Exec,
  Exit,
  SetSid,
  SetPgid,
  // Variants only found in files of the original proctrace; read, never written
  // by our recorders.
  ExecArgs,      // {pid,args} argv joined with spaces
  ExecFilename,  // {pid,filename}
  ExecFull,      // {pid,ppid,pgid,filename,args}
  BadExec,       // {pid} a failed execve
  // Ours: a process already running when the recording began (strace -p
  // attached to it), first seen at timestamp; when it started is unknown.
  Attached,  // {pid,ppid,pgid,sid}
};
inline constexpr int kEventKindCount = 10;

// The serde variant name ("Fork", "SetSID", ...).
std::string_view event_kind_name(EventKind kind);
std::optional<EventKind> event_kind_from_name(std::string_view name);

// How a process ended. Exactly one of code / signal is set for a known exit.
struct ExitStatus {
  std::optional<int> code;    // exit(2) code, 0..255
  std::optional<int> signal;  // terminating signal number
  bool core_dumped = false;

  bool known() const { return code.has_value() || signal.has_value(); }
  bool success() const { return code && *code == 0; }
  // The shell convention: code, or 128 + signal.
  int shell_status() const { return code ? *code : signal ? 128 + *signal : 0; }
  static ExitStatus from_wait_status(int status);
};

// One line of a recording. A flat struct rather than a variant: every kind
// shares timestamp/pid, and the reader fills it in place without allocation
// churn. Fields a kind does not use stay at their defaults.
struct Event {
  EventKind kind = EventKind::Fork;
  Nanos timestamp = 0;
  std::optional<std::uint64_t> seq;  // original proctrace's counter, kept for round trips

  // Fork: parent_pid. Others: the process the event is about (its tgid).
  Pid pid = 0;
  Pid child_pid = 0;  // Fork only
  Pid ppid = 0;       // Exec, Exit, SetSid, SetPgid, ExecFull
  // Fork: parent_pgid (the parent's process group, which the child inherits).
  // SetPgid: the new process group. Others: the process group at the event.
  Pid pgid = 0;
  std::optional<Pid> sid;  // session id; SetSid: the new session (== pid)

  // Exec, ExecFull, ExecArgs: argv. An absent/null cmdline leaves it empty
  // with has_cmdline false.
  std::vector<std::string> cmdline;
  bool has_cmdline = false;
  bool args_joined = false;  // ExecArgs/ExecFull wrote args as one string
  std::string filename;      // Exec (ours), ExecFilename, ExecFull
  bool truncated = false;    // argv was longer than the recorder's cap

  ExitStatus exit;  // Exit only; unknown in original proctrace files
  ResourceUsage usage;  // Exit only: what the process used (eBPF recorder)
  // Exec (eBPF recorder): who runs the new image and where; absent/empty
  // when not recorded (imports, older recordings). cwd_cut: its top is
  // missing (deeper than the recorder follows).
  struct Ids {
    std::uint32_t uid = 0, euid = 0, gid = 0, egid = 0;
  };
  std::optional<Ids> ids;
  std::string cwd;
  bool cwd_cut = false;
  // Exec (eBPF recorder): the descriptors the new image inherited, in fd
  // order; has_fds false when not recorded. fds_cut: open ones left out
  // (numbered above the recorder's bound).
  std::vector<OpenFd> fds;
  bool has_fds = false;
  std::uint32_t fds_cut = 0;
  int exec_errno = 0;   // BadExec: why execve failed (Linux's number; 0: not known). filename: the path tried

  // The subject (Fork: the child) in the initial PID namespace, when the
  // recorder ran inside another one: pids above are the namespace's.
  std::optional<Pid> host_pid;

  void clear();
  // The pid whose life this event belongs to (Fork: the child).
  Pid subject_pid() const { return kind == EventKind::Fork ? child_pid : pid; }
};

}  // namespace proctrace
