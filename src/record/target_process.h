// Starts the recorded command in two steps: fork() a child that waits, then
// release() it to exec once the recorder tracks its pid, so not one event of
// the target can be missed.
#pragma once

#include <optional>
#include <signal.h>
#include <string>
#include <vector>

#include "model/event.h"
#include "record/user_rights.h"

namespace proctrace {

class TargetProcess {
 public:
  // Forks; the child keeps the terminal, stdio and environment, gets
  // `child_mask` as its signal mask and default signal actions, and runs as
  // `user` when given (sudo). With `stdout_to_stderr` (the recording is on
  // stdout) its stdout is proctrace's stderr. Throws std::system_error if
  // fork fails.
  TargetProcess(const std::vector<std::string>& argv, const std::optional<InvokingUser>& user,
                const sigset_t& child_mask, bool stdout_to_stderr);
  // Closing the pipe without release() makes the child exit 127 unexecuted.
  ~TargetProcess();
  TargetProcess(const TargetProcess&) = delete;
  TargetProcess& operator=(const TargetProcess&) = delete;

  Pid pid() const { return pid_; }
  // Lets the child exec the command.
  void release();

 private:
  Pid pid_ = -1;
  int go_fd_ = -1;  // write end of the pipe the child waits on
};

}  // namespace proctrace
