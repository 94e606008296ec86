// Runs the proctrace binary like test_support's run_proctrace, but with a
// deadline: a hang must fail the test with a message, not stall CI. Output
// goes through files, so a command printing 100 MB cannot block on a pipe.
#pragma once

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "test_support.h"

namespace proctrace::testing {

struct BoundedResult {
  int exit_code = -1;  // shell-style: 128+signal when killed
  bool timed_out = false;
  std::string out;
  std::string err;
};

// stdin_path: a file to use as standard input ("" for /dev/null).
inline BoundedResult run_bounded(const std::vector<std::string>& argv, std::chrono::seconds limit,
                                 const std::string& stdin_path = "") {
  TempDir dir;
  std::string out = dir.file("stdout"), err = dir.file("stderr");
  std::string in = stdin_path.empty() ? "/dev/null" : stdin_path;
  pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);  // so a timeout kills anything it started too
    int fi = open(in.c_str(), O_RDONLY);
    int fo = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int fe = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fi, 0);
    dup2(fo, 1);
    dup2(fe, 2);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  BoundedResult r;
  auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  for (;;) {
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      r.timed_out = true;
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

inline BoundedResult run_proctrace_bounded(const std::vector<std::string>& args,
                                           std::chrono::seconds limit = std::chrono::seconds(120),
                                           const std::string& stdin_path = "") {
  std::vector<std::string> argv{PROCTRACE_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_bounded(argv, limit, stdin_path);
}

}  // namespace proctrace::testing
