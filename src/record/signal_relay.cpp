#include "record/signal_relay.h"

#include <cerrno>
#include <system_error>
#include <unistd.h>

namespace proctrace {

SignalRelay::SignalRelay(bool take_sigquit) {
  sigset_t mask;
  sigemptyset(&mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGCHLD}) sigaddset(&mask, sig);
  if (take_sigquit) sigaddset(&mask, SIGQUIT);
  sigprocmask(SIG_BLOCK, &mask, &original_mask_);
  fd_ = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
  if (fd_ < 0) {
    int error = errno;
    sigprocmask(SIG_SETMASK, &original_mask_, nullptr);
    throw std::system_error(error, std::generic_category(), "signalfd");
  }
  struct sigaction ignore = {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &original_pipe_action_);
  // Over RLIMIT_FSIZE a write fails with EFBIG after SIGXFSZ, whose default
  // kills us and leaves the target unsupervised.
  sigaction(SIGXFSZ, &ignore, &original_xfsz_action_);
}

SignalRelay::~SignalRelay() {
  ::close(fd_);
  sigaction(SIGPIPE, &original_pipe_action_, nullptr);
  sigaction(SIGXFSZ, &original_xfsz_action_, nullptr);
  sigprocmask(SIG_SETMASK, &original_mask_, nullptr);
}

std::optional<signalfd_siginfo> SignalRelay::next() {
  signalfd_siginfo info;
  ssize_t n;
  do n = ::read(fd_, &info, sizeof info);
  while (n < 0 && errno == EINTR);
  if (n != sizeof info) return std::nullopt;
  return info;
}

bool SignalRelay::should_forward(const signalfd_siginfo& info, pid_t target) {
  bool from_terminal = info.ssi_code == SI_KERNEL;
  return !(from_terminal && getpgid(target) == getpgrp());
}

}  // namespace proctrace
