// Helpers shared by the test suite: temp dirs, running the proctrace binary.
#pragma once

#include <string>
#include <vector>

namespace proctrace::testing {

// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& text);
std::string fixture(const std::string& relative);  // path under tests/fixtures
// Where the checkout and the built binary are. Only test_support.cpp is
// compiled with these paths, so every other test object is the same in any
// checkout and ccache shares it between clones and worktrees.
const char* source_dir();
const char* proctrace_binary();

struct RunResult {
  int exit_code = -1;  // shell-style: 128+signal when killed
  std::string out;
  std::string err;
};
// Runs argv (no shell) with optional stdin text, capturing stdout and stderr.
RunResult run(const std::vector<std::string>& argv, const std::string& stdin_text = "");
// Runs the built proctrace binary with these arguments.
RunResult run_proctrace(const std::vector<std::string>& args, const std::string& stdin_text = "");

}  // namespace proctrace::testing
