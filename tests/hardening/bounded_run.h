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

// A child process started in the background: a test can signal it while it
// runs, then wait for it with a deadline. Output goes to files in a TempDir.
class Spawned {
 public:
  // in_child runs between fork and exec (async-signal-safe calls only, e.g.
  // setrlimit). stdin_path: a file for standard input ("" for /dev/null).
  Spawned(const std::vector<std::string>& argv, const std::string& stdin_path = "",
          void (*in_child)() = nullptr) {
    out_ = dir_.file("stdout");
    err_ = dir_.file("stderr");
    std::string in = stdin_path.empty() ? "/dev/null" : stdin_path;
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
      setpgid(0, 0);  // so a timeout kills anything it started too
      int fi = open(in.c_str(), O_RDONLY);
      int fo = open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int fe = open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(fi, 0);
      dup2(fo, 1);
      dup2(fe, 2);
      if (in_child) in_child();
      execvp(args[0], args.data());
      _exit(127);
    }
  }
  ~Spawned() {
    if (!reaped_) {
      kill(-pid_, SIGKILL);
      kill(pid_, SIGKILL);
      int status;
      waitpid(pid_, &status, 0);
    }
  }
  Spawned(const Spawned&) = delete;
  Spawned& operator=(const Spawned&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int sig) const { kill(pid_, sig); }

  // Waits up to `limit`; on timeout kills the process group and says so.
  BoundedResult wait(std::chrono::milliseconds limit) {
    BoundedResult r;
    auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    for (;;) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) break;
      if (std::chrono::steady_clock::now() > deadline) {
        r.timed_out = true;
        kill(-pid_, SIGKILL);
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    reaped_ = true;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = read_file(out_);
    r.err = read_file(err_);
    return r;
  }

 private:
  TempDir dir_;
  std::string out_, err_;
  pid_t pid_ = -1;
  bool reaped_ = false;
};

// stdin_path: a file to use as standard input ("" for /dev/null).
inline BoundedResult run_bounded(const std::vector<std::string>& argv, std::chrono::seconds limit,
                                 const std::string& stdin_path = "") {
  Spawned child(argv, stdin_path);
  return child.wait(limit);
}

inline BoundedResult run_proctrace_bounded(const std::vector<std::string>& args,
                                           std::chrono::seconds limit = std::chrono::seconds(120),
                                           const std::string& stdin_path = "") {
  std::vector<std::string> argv{proctrace_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_bounded(argv, limit, stdin_path);
}

}  // namespace proctrace::testing
