// Input text that would drive a terminal (ESC sequences, C1 controls, bytes
// that are not UTF-8) is shown escaped in every text view and message, and
// kept exact in JSON outputs (issue 10). Runs the real binary on a real
// strace log whose argv, paths and a bad line carry such bytes.
#include <gtest/gtest.h>

#include "bounded_run.h"
#include "io/diagnostics.h"
#include "test_support.h"

namespace proctrace::testing {
namespace {

using namespace std::chrono_literals;

// Bytes a terminal acts on: ESC, BEL, CSI (8-bit and UTF-8), DEL.
// (JSON may carry DEL as it is: it moves no cursor.)
void expect_inert(const std::string& text, const std::string& what, bool json = false) {
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << what << ":\n" << text;
  EXPECT_EQ(text.find('\a'), std::string::npos) << what;
  EXPECT_EQ(text.find('\x9b'), std::string::npos) << what;
  if (!json) EXPECT_EQ(text.find('\x7f'), std::string::npos) << what;
}

std::string hostile_log(const TempDir& dir) {
  std::string path = dir.file("hostile.strace");
  write_file(path,
             "100   12:00:00.000001 execve(\"/bin/sh\", [\"sh\", \"-c\", \"\\33]0;pwned\\7\\x9b31mred\\177\"], "
             "0x7ffd /* 3 vars */) = 0\n"
             "100   12:00:00.000002 openat(AT_FDCWD, \"/tmp/\\33[2Jfile\", O_RDONLY) = 3 <0.000010>\n"
             "100   12:00:00.000003 read(3, \"x\", 1) = 1 <0.000001>\n"
             "100   12:00:00.000004 bad line with \x1b[31m raw escape \xc2\x9b and \x9b\n"
             "100   12:00:00.000005 exit_group(0) = ?\n"
             "100   12:00:00.000006 +++ exited with 0 +++\n");
  return path;
}

TEST(TerminalSafety, TextViewsAndMessagesShowControlBytesEscaped) {
  TempDir dir;
  std::string log = hostile_log(dir);
  const std::vector<std::vector<std::string>> views = {
      {"render", "-d", "tree"}, {"render", "-d", "by-process"}, {"render", "-d", "mermaid"},
      {"exec"},                 {"summary"},                    {"files"},
      {"io"},                   {"tree"},                       {"list-pids"}};
  for (auto args : views) {
    args.push_back(log);
    auto r = run_proctrace_bounded(args, 60s);
    std::string what = ::testing::PrintToString(args);
    SCOPED_TRACE(what + "\nstderr: " + r.err);
    EXPECT_EQ(r.exit_code, kExitInputErrors);
    EXPECT_NE(r.err.find("hostile.strace:4: "), std::string::npos);
    bool json_lines = args.size() > 2 && args[2] == "by-process";  // a header, then JSON event lines
    expect_inert(r.out, what + " stdout", json_lines);
    expect_inert(r.err, what + " stderr");
  }
  auto tree = run_proctrace_bounded({"render", "-d", "tree", log}, 60s);
  EXPECT_NE(tree.out.find("\\x1b]0;pwned\\x07\\x9b31mred\\x7f"), std::string::npos) << tree.out;
  auto bad = run_proctrace_bounded({"exec", log}, 60s);
  EXPECT_NE(bad.err.find("\\x1b[31m raw escape \\u009b and \\x9b"), std::string::npos) << bad.err;
}

TEST(TerminalSafety, JsonOutputsKeepTheExactText) {
  TempDir dir;
  auto r = run_proctrace_bounded({"exec", "--json", hostile_log(dir)}, 60s);
  EXPECT_EQ(r.exit_code, kExitInputErrors) << r.err;
  // JSON escapes the control characters itself; the text is exact.
  EXPECT_NE(r.out.find("\\u001b]0;pwned\\u0007"), std::string::npos) << r.out;
  expect_inert(r.out, "exec --json", /*json=*/true);
}

TEST(TerminalSafety, PathsAndArgumentsInMessagesAreEscaped) {
  TempDir dir;
  std::string missing = dir.file("no\x1b[2Jsuch\xc2\x9b.jsonl");
  auto r = run_proctrace_bounded({"render", missing}, 60s);
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_NE(r.err.find("no\\x1b[2Jsuch\\u009b.jsonl"), std::string::npos) << r.err;
  expect_inert(r.err, "missing file");
  auto usage = run_proctrace_bounded({"render", "--no-such-\x1b[2J-option"}, 60s);
  EXPECT_EQ(usage.exit_code, kExitUsage);
  expect_inert(usage.err, "unknown option");
  EXPECT_NE(usage.err.find("\\x1b[2J"), std::string::npos) << usage.err;
}

}  // namespace
}  // namespace proctrace::testing
