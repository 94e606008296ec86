#include "test_support.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace proctrace::testing {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base ? base : "/tmp") + "/proctrace-test-XXXXXX";
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::string fixture(const std::string& relative) { return std::string(PROCTRACE_FIXTURES) + "/" + relative; }
const char* source_dir() { return PROCTRACE_SOURCE_DIR; }
const char* proctrace_binary() { return PROCTRACE_BINARY; }

// posix_spawn, not fork: tests run this while a loopback listener thread
// may hold the allocator's lock, and a forked child that allocates before
// exec then waits on that lock forever (seen under ASan as a 300 s timeout).
RunResult run(const std::vector<std::string>& argv, const std::string& stdin_text) {
  TempDir dir;
  std::string in = dir.file("stdin"), out = dir.file("stdout"), err = dir.file("stderr");
  write_file(in, stdin_text);
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  RunResult r;
  if (spawned != 0) {
    r.exit_code = 127;
    r.err = std::string("cannot run ") + argv[0] + ": " + std::strerror(spawned);
    return r;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

RunResult run_proctrace(const std::vector<std::string>& args, const std::string& stdin_text) {
  std::vector<std::string> argv{proctrace_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, stdin_text);
}

}  // namespace proctrace::testing
