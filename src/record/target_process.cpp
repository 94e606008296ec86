#include "record/target_process.h"

#include <cerrno>
#include <climits>
#include <cstring>
#include <fcntl.h>
#include <system_error>
#include <unistd.h>

#include "record/command_lookup.h"

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
                            char** envp, const sigset_t& mask, bool stdout_to_stderr, const std::string& name) {
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGPIPE, SIGXFSZ}) ::signal(sig, SIG_DFL);
  sigprocmask(SIG_SETMASK, &mask, nullptr);

  char go = 0;
  ssize_t n;
  do n = ::read(go_fd, &go, 1);
  while (n < 0 && errno == EINTR);
  if (n != 1) _exit(127);  // the recorder gave up before tracking us
  ::close(go_fd);

  if (stdout_to_stderr && ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) child_fail("dup2", errno, 126);
  const char* step = nullptr;
  if (user)
    if (int error = become_user(*user, &step)) child_fail(step, error, 126);
  // execvp's PATH search would be recorded as one failed exec per entry
  // before the right one (the recorder's doing, not the command's): find
  // the file first, as execvp would, and exec it directly. execvpe stays
  // for what only it does (a script without #! run by /bin/sh).
  char found[PATH_MAX];
  if (!std::strchr(argv[0], '/') && find_executable(argv[0], ::getenv("PATH"), found, sizeof found) == 0)
    ::execve(found, argv.data(), envp);
  execvpe(argv[0], argv.data(), envp);
  int error = errno;
  child_fail("cannot run '" + name + "'", error, error == ENOENT ? 127 : 126);
}

}  // namespace

TargetProcess::TargetProcess(const std::vector<std::string>& argv, const std::optional<InvokingUser>& user,
                             const sigset_t& child_mask, bool stdout_to_stderr) {
  // Everything the child needs is built before fork.
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  // Under sudo the command gets the user's HOME, USER and LOGNAME.
  std::vector<std::string> env = user ? user_environment(*user) : std::vector<std::string>{};
  std::vector<char*> envp = environment_pointers(env);

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
    run_child(fds[0], args, user, user ? envp.data() : environ, child_mask, stdout_to_stderr, argv.front());
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
