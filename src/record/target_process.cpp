#include "record/target_process.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <system_error>
#include <unistd.h>

namespace proctrace {

namespace {

// Between fork and exec only async-signal-safe calls: write the message
// ourselves.
[[noreturn]] void child_fail(const std::string& what, int error, int status) {
  std::string message = "proctrace: " + what + ": " + std::strerror(error) + "\n";
  (void)!::write(STDERR_FILENO, message.data(), message.size());
  _exit(status);
}

[[noreturn]] void run_child(int go_fd, const std::vector<char*>& argv, const std::optional<InvokingUser>& user,
                            const sigset_t& mask, const std::string& name) {
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGPIPE, SIGXFSZ}) ::signal(sig, SIG_DFL);
  sigprocmask(SIG_SETMASK, &mask, nullptr);

  char go = 0;
  ssize_t n;
  do n = ::read(go_fd, &go, 1);
  while (n < 0 && errno == EINTR);
  if (n != 1) _exit(127);  // the recorder gave up before tracking us
  ::close(go_fd);

  if (user) {
    if (setgroups(user->groups.size(), user->groups.data()) != 0) child_fail("setgroups", errno, 126);
    if (setgid(user->gid) != 0) child_fail("setgid", errno, 126);
    if (setuid(user->uid) != 0) child_fail("setuid", errno, 126);
  }
  execvp(argv[0], argv.data());
  int error = errno;
  child_fail("cannot run '" + name + "'", error, error == ENOENT ? 127 : 126);
}

}  // namespace

TargetProcess::TargetProcess(const std::vector<std::string>& argv, const std::optional<InvokingUser>& user,
                             const sigset_t& child_mask) {
  // Everything the child needs is built before fork.
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
  pid_t pid = fork();
  if (pid < 0) {
    int error = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    throw std::system_error(error, std::generic_category(), "fork");
  }
  if (pid == 0) {
    ::close(fds[1]);
    run_child(fds[0], args, user, child_mask, argv.front());
  }
  ::close(fds[0]);
  pid_ = pid;
  go_fd_ = fds[1];
}

TargetProcess::~TargetProcess() {
  if (go_fd_ >= 0) ::close(go_fd_);
}

void TargetProcess::release() {
  char go = 1;
  ssize_t n;
  do n = ::write(go_fd_, &go, 1);
  while (n < 0 && errno == EINTR);
  ::close(go_fd_);
  go_fd_ = -1;
}

}  // namespace proctrace
