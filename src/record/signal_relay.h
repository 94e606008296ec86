// The recorder takes SIGINT/SIGTERM/SIGHUP/SIGCHLD through a signalfd, so
// that a Ctrl-C or a CI runner's SIGTERM reaches the target while the
// recorder itself keeps draining until the recording is complete.
#pragma once

#include <optional>
#include <signal.h>
#include <sys/signalfd.h>

namespace proctrace {

class SignalRelay {
 public:
  // Blocks the signals (create it before forking the target) and ignores
  // SIGPIPE and SIGXFSZ: a closed or full output must be an error, not a
  // silent death.
  // take_sigquit: SIGQUIT comes through the fd too, for a recorder that
  // answers it (the eBPF one snapshots the tree) instead of dumping core.
  explicit SignalRelay(bool take_sigquit = false);
  ~SignalRelay();
  SignalRelay(const SignalRelay&) = delete;
  SignalRelay& operator=(const SignalRelay&) = delete;

  int fd() const { return fd_; }
  // The mask in force before: the target gets it back.
  const sigset_t& original_mask() const { return original_mask_; }
  // The next pending signal, if any.
  std::optional<signalfd_siginfo> next();

  // Whether `info` (SIGINT, SIGTERM or SIGHUP) should be passed on to the
  // target `pid`: not when the terminal sent it to a process group the
  // target is in, which already got it.
  static bool should_forward(const signalfd_siginfo& info, pid_t target);

 private:
  int fd_ = -1;
  sigset_t original_mask_;
  struct sigaction original_pipe_action_;
  struct sigaction original_xfsz_action_;
};

}  // namespace proctrace
