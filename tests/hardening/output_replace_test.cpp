// Outputs go to a temporary file beside the target and replace it only when
// complete (issue 10): an output that is also an input is refused with the
// input intact (it used to SIGBUS and empty the input), and a failed or
// interrupted run leaves the target as it was and no temporary file behind.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>

#include "bounded_run.h"
#include "io/diagnostics.h"
#include "small_tmpfs.h"
#include "test_support.h"

namespace proctrace::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

std::string write_recording(const std::string& path, int processes) {
  std::ofstream out(path);
  out << "{\"Exec\":{\"timestamp\":1,\"pid\":1,\"ppid\":0,\"pgid\":1,\"cmdline\":[\"init\"]}}\n";
  for (int i = 0; i < processes; ++i) {
    int pid = 100 + i % 30000;
    out << "{\"Fork\":{\"timestamp\":" << 10 + 3 * i << ",\"parent_pid\":1,\"child_pid\":" << pid
        << ",\"parent_pgid\":1}}\n";
    out << "{\"Exec\":{\"timestamp\":" << 11 + 3 * i << ",\"pid\":" << pid
        << ",\"ppid\":1,\"pgid\":1,\"cmdline\":[\"worker\",\"--index\",\"" << i << "\"]}}\n";
    out << "{\"Exit\":{\"timestamp\":" << 12 + 3 * i << ",\"pid\":" << pid
        << ",\"ppid\":1,\"pgid\":1,\"code\":0,\"signal\":null,\"core_dumped\":false}}\n";
  }
  return path;
}

// Names in dir other than the ones expected: leftover temporary files.
std::vector<std::string> others(const std::string& dir, const std::vector<std::string>& expected) {
  std::vector<std::string> found;
  for (auto& e : fs::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (std::find(expected.begin(), expected.end(), name) == expected.end()) found.push_back(name);
  }
  return found;
}

TEST(OutputReplace, OutputThatIsAnInputIsRefusedAndTheInputKept) {
  TempDir dir;
  std::string x = write_recording(dir.file("x.jsonl"), 2000);
  const std::string original = read_file(x);
  const std::vector<std::vector<std::string>> commands = {
      {"sort", x, "-o", x},
      {"sort", "-m", "process", x, "-o", x},
      {"render", "-d", "multiplexed", x, "-o", x},
      {"render", "-d", "by-process", x, "-o", x},
      {"render", "-d", "tree", x, "-o", x},
      {"render", "-d", "html", x, "-o", x},
      {"summary", x, "-o", x},
      {"export", "--perfetto", x, x},
  };
  for (auto& args : commands) {
    auto r = run_proctrace_bounded(args, 60s);
    SCOPED_TRACE(::testing::PrintToString(args) + "\nstderr: " + r.err);
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, kExitFailure);
    EXPECT_NE(r.err.find(x + ": is also an input of this command"), std::string::npos);
    EXPECT_EQ(read_file(x), original) << "the input was changed";
    EXPECT_EQ(others(dir.path(), {"x.jsonl"}), std::vector<std::string>{});
  }
  // The same file reached through a symlink, through stdin, and as stdout.
  fs::create_symlink(x, dir.file("link.jsonl"));
  auto r = run_proctrace_bounded({"sort", x, "-o", dir.file("link.jsonl")}, 60s);
  EXPECT_EQ(r.exit_code, kExitFailure) << r.err;
  r = run_proctrace_bounded({"sort", "-o", x}, 60s, x);
  EXPECT_EQ(r.exit_code, kExitFailure) << r.err;
  EXPECT_NE(r.err.find("is also an input"), std::string::npos) << r.err;
  auto appended = run({"sh", "-c", std::string(proctrace_binary()) + " sort '" + x + "' >> '" + x + "'"});
  EXPECT_EQ(appended.exit_code, kExitFailure) << appended.err;
  EXPECT_NE(appended.err.find("standard output is also an input"), std::string::npos) << appended.err;
  EXPECT_EQ(read_file(x), original);
}

TEST(OutputReplace, ReplacingAFileKeepsItsPermissionsAndLeavesNoTemporaryFile) {
  TempDir dir;
  std::string x = write_recording(dir.file("x.jsonl"), 10);
  std::string out = dir.file("out.jsonl");
  write_file(out, "old\n");
  ASSERT_EQ(::chmod(out.c_str(), 0640), 0);
  auto r = run_proctrace_bounded({"sort", x, "-o", out}, 60s);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(read_file(out).find("\"worker\""), std::string::npos);
  struct stat st{};
  ASSERT_EQ(::stat(out.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
  EXPECT_EQ(others(dir.path(), {"x.jsonl", "out.jsonl"}), std::vector<std::string>{});
  // /dev/null is written, not replaced.
  r = run_proctrace_bounded({"sort", x, "-o", "/dev/null"}, 60s);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  struct stat null_st{};
  ASSERT_EQ(::stat("/dev/null", &null_st), 0);
  EXPECT_TRUE(S_ISCHR(null_st.st_mode));
}

TEST(OutputReplace, DiskFullLeavesTheOldFileAndNoTemporaryFile) {
  SmallTmpfs small("64k");
  if (!small.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here: " << small.error();
  TempDir dir;
  std::string input = write_recording(dir.file("big.jsonl"), 20000);
  std::string out = small.file("out.jsonl");
  write_file(out, "old\n");
  for (std::vector<std::string> args :
       {std::vector<std::string>{"sort"}, {"render", "-d", "multiplexed"}, {"render", "-d", "tree"}}) {
    args.insert(args.end(), {input, "-o", out});
    auto r = run_proctrace_bounded(args, 60s);
    SCOPED_TRACE(::testing::PrintToString(args) + "\nstderr: " + r.err);
    EXPECT_EQ(r.exit_code, kExitFailure);
    EXPECT_EQ(read_file(out), "old\n");
    EXPECT_EQ(others(fs::path(out).parent_path().string(), {"out.jsonl"}), std::vector<std::string>{});
  }
  std::string pftrace = small.file("out.pftrace");
  auto r = run_proctrace_bounded({"export", "--perfetto", pftrace, input}, 60s);
  EXPECT_EQ(r.exit_code, kExitFailure) << r.err;
  EXPECT_FALSE(fs::exists(pftrace));
  EXPECT_EQ(others(fs::path(out).parent_path().string(), {"out.jsonl"}), std::vector<std::string>{});
}

// A signal while the output is being written: the temporary file is removed,
// the target keeps its old content, and the process dies of the signal.
TEST(OutputReplace, InterruptedRunLeavesTheOldFileAndNoTemporaryFile) {
  TempDir dir;
  std::string input = write_recording(dir.file("big.jsonl"), 400000);
  TempDir out_dir;
  std::string out = out_dir.file("out.jsonl");
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    write_file(out, "old\n");
    Spawned child({proctrace_binary(), "render", "-d", "by-process", input, "-o", out});
    // Wait until the temporary file exists (the view is writing), then signal.
    bool seen = false;
    for (int i = 0; i < 6000 && !seen; ++i) {
      seen = !others(out_dir.path(), {"out.jsonl"}).empty();
      if (!seen) std::this_thread::sleep_for(5ms);
    }
    child.signal(sig);
    auto r = child.wait(60s);
    SCOPED_TRACE("signal " + std::to_string(sig) + "\nstderr: " + r.err);
    ASSERT_TRUE(seen) << "no temporary file appeared (finished already? exit " << r.exit_code << ")";
    EXPECT_EQ(r.exit_code, 128 + sig);
    EXPECT_EQ(read_file(out), "old\n");
    EXPECT_EQ(others(out_dir.path(), {"out.jsonl"}), std::vector<std::string>{});
  }
}

}  // namespace
}  // namespace proctrace::testing
