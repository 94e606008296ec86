#include "model/event.h"

#include <array>
#include <sys/wait.h>

namespace proctrace {

namespace {
constexpr std::array<std::string_view, kEventKindCount> kNames = {
    "Fork", "Exec", "Exit", "SetSID", "SetPGID", "ExecArgs", "ExecFilename", "ExecFull", "BadExec", "Attached"};
}

std::string_view event_kind_name(EventKind kind) { return kNames[static_cast<int>(kind)]; }

std::optional<EventKind> event_kind_from_name(std::string_view name) {
  for (int i = 0; i < kEventKindCount; ++i)
    if (kNames[i] == name) return static_cast<EventKind>(i);
  return std::nullopt;
}

ExitStatus ExitStatus::from_wait_status(int status) {
  ExitStatus s;
  if (WIFEXITED(status)) {
    s.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    s.signal = WTERMSIG(status);
    s.core_dumped = WCOREDUMP(status);
  }
  return s;
}

void Event::clear() {
  kind = EventKind::Fork;
  timestamp = 0;
  seq.reset();
  pid = child_pid = ppid = pgid = 0;
  sid.reset();
  cmdline.clear();  // keeps capacity: the reader reuses one Event per line
  has_cmdline = args_joined = truncated = false;
  filename.clear();
  exit = ExitStatus{};
  host_pid.reset();
  usage = ResourceUsage{};
  exec_errno = 0;
  ids.reset();
  cwd.clear();
  cwd_cut = false;
  fds.clear();
  has_fds = false;
  fds_cut = 0;
}

}  // namespace proctrace
