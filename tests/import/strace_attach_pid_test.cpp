// strace attached to a running process without -f (`strace -tt -T -p PID -o
// LOG`, strace-parser's everyday input): no line carries a pid, and often
// nothing in the log names it. Real strace, real process.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "test_support.h"

namespace proctrace::testing {
namespace {

class StraceAttachPid : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = dir_.file("attach.log");
    // The sleeping process is attached while in nanosleep: the log starts
    // with restart_syscall, which names no pid.
    auto r = run({"sh", "-c", "sleep 0.4 & p=$!; sleep 0.1; strace -tt -T -p $p -o '" + log_ + "' 2>/dev/null; echo $p"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    pid_ = std::stoi(r.out);
    ASSERT_GT(pid_, 0);
    std::string text = read_file(log_);
    ASSERT_NE(text.find("exited with 0"), std::string::npos) << text;
    // As a number of its own: its digits may well turn up inside a timestamp.
    std::regex named("(^|[^0-9])" + std::to_string(pid_) + "([^0-9]|$)");
    ASSERT_FALSE(std::regex_search(text, named)) << "the log should not name the pid:\n" << text;
  }
  TempDir dir_;
  std::string log_;
  int pid_ = 0;
};

TEST_F(StraceAttachPid, WithoutThePidItIsAPlaceholderAndSaysHowToNameIt) {
  auto r = run_proctrace({"summary", "--json", log_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("--attach-pid"), std::string::npos) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["processes"].size(), 1u);
  EXPECT_EQ(doc["processes"][0]["pid"], 0);
}

TEST_F(StraceAttachPid, AttachPidNamesTheProcessInEveryView) {
  const std::string pid = std::to_string(pid_);
  auto summary = run_proctrace({"summary", "--json", "--attach-pid", pid, log_});
  ASSERT_EQ(summary.exit_code, 0) << summary.err;
  EXPECT_EQ(summary.err.find("calling it pid 0"), std::string::npos) << summary.err;
  auto doc = nlohmann::json::parse(summary.out);
  ASSERT_EQ(doc["processes"].size(), 1u);
  EXPECT_EQ(doc["processes"][0]["pid"], pid_);
  EXPECT_GT(doc["processes"][0]["wait_ns"].get<double>(), 0);

  auto tree = run_proctrace({"render", "-d", "tree", "--attach-pid", pid, log_});
  ASSERT_EQ(tree.exit_code, 0) << tree.err;
  EXPECT_NE(tree.out.find(pid), std::string::npos) << tree.out;
  auto sorted = run_proctrace({"sort", "--attach-pid", pid, log_});
  ASSERT_EQ(sorted.exit_code, 0) << sorted.err;
  EXPECT_NE(sorted.out.find("\"pid\":" + pid), std::string::npos) << sorted.out;
  auto one = run_proctrace({"pid", "--attach-pid", pid, log_, pid});
  EXPECT_EQ(one.exit_code, 0) << one.err;

  EXPECT_EQ(run_proctrace({"summary", "--attach-pid", "0", log_}).exit_code, 2);
  EXPECT_EQ(run_proctrace({"summary", "--attach-pid", "x", log_}).exit_code, 2);
}

}  // namespace
}  // namespace proctrace::testing
