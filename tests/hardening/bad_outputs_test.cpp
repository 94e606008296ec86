// Output that cannot be written: every command must say which file and why,
// exit 1 (nothing usable), and never claim success.
#include <gtest/gtest.h>

#include <fstream>

#include "bounded_run.h"
#include "io/diagnostics.h"
#include "small_tmpfs.h"
#include "test_support.h"

namespace proctrace::testing {
namespace {

using namespace std::chrono_literals;

// A valid recording of `lines` events, big enough to overflow small outputs.
std::string write_recording(const TempDir& dir, int processes) {
  std::string path = dir.file("big.jsonl");
  std::ofstream out(path);
  out << "{\"Exec\":{\"timestamp\":1,\"pid\":1,\"ppid\":0,\"pgid\":1,\"cmdline\":[\"init\"]}}\n";
  for (int i = 0; i < processes; ++i) {
    int pid = 100 + i;
    out << "{\"Fork\":{\"timestamp\":" << 10 + 3 * i << ",\"parent_pid\":1,\"child_pid\":" << pid
        << ",\"parent_pgid\":1}}\n";
    out << "{\"Exec\":{\"timestamp\":" << 11 + 3 * i << ",\"pid\":" << pid
        << ",\"ppid\":1,\"pgid\":1,\"cmdline\":[\"worker\",\"--index\",\"" << i << "\"]}}\n";
    out << "{\"Exit\":{\"timestamp\":" << 12 + 3 * i << ",\"pid\":" << pid
        << ",\"ppid\":1,\"pgid\":1,\"code\":0,\"signal\":null,\"core_dumped\":false}}\n";
  }
  return path;
}

const std::vector<std::vector<std::string>> kCommands = {
    {"sort"}, {"render", "-d", "multiplexed"}, {"render", "-d", "by-process"}};

void expect_write_failure(const std::vector<std::string>& args, const std::string& message) {
  auto r = run_proctrace_bounded(args, 60s);
  SCOPED_TRACE(::testing::PrintToString(args) + "\nstderr: " + r.err);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_NE(r.err.find(message), std::string::npos);
}

TEST(BadOutputs, DiskFullOnDevFull) {
  TempDir dir;
  std::string input = write_recording(dir, 20000);
  for (auto args : kCommands) {
    args.insert(args.end(), {input, "-o", "/dev/full"});
    expect_write_failure(args, "/dev/full: write failed: No space left on device");
  }
}

TEST(BadOutputs, DiskFullOnASmallTmpfs) {
  SmallTmpfs fs("64k");
  if (!fs.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here: " << fs.error();
  TempDir dir;
  std::string input = write_recording(dir, 20000);
  for (auto args : kCommands) {
    args.insert(args.end(), {input, "-o", fs.file("out.jsonl")});
    expect_write_failure(args, fs.file("out.jsonl") + ": write failed: No space left on device");
  }
}

TEST(BadOutputs, OutputInAMissingDirectory) {
  TempDir dir;
  std::string input = write_recording(dir, 3);
  std::string out = dir.file("no/such/dir/out.jsonl");
  for (auto args : kCommands) {
    args.insert(args.end(), {input, "-o", out});
    expect_write_failure(args, out + ": cannot create: No such file or directory");
  }
}

TEST(BadOutputs, OutputIsADirectory) {
  TempDir dir;
  std::string input = write_recording(dir, 3);
  for (auto args : kCommands) {
    args.insert(args.end(), {input, "-o", dir.path()});
    expect_write_failure(args, dir.path() + ": cannot create: Is a directory");
  }
}

}  // namespace
}  // namespace proctrace::testing
