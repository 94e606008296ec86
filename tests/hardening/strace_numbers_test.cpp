// strace logs whose numbers do not fit their field, through the real binary:
// each is a bad line named by file:line (exit 3), the valid lines are kept,
// and nothing wraps into another pid or exit code.
#include <gtest/gtest.h>

#include "bounded_run.h"
#include "io/diagnostics.h"
#include "test_support.h"

namespace proctrace::testing {
namespace {

using namespace std::chrono_literals;

TEST(StraceNumbers, OutOfRangeNumbersAreBadLinesNotWrapped) {
  TempDir dir;
  std::string log = dir.file("huge.strace");
  write_file(log,
             "100 execve(\"/bin/sh\", [\"sh\"], 0x7ffd /* 3 vars */) = 0\n"
             "100 clone(child_stack=NULL, flags=SIGCHLD) = 99999999999999999999\n"  // 2
             "100 clone(child_stack=NULL, flags=SIGCHLD) = 18446744073709551717\n"  // 3: 2^64 + 101
             "100 clone(child_stack=NULL, flags=SIGCHLD) = 4294967397\n"            // 4: 2^32 + 101
             "1234567890123456789012345678901234567890 100 close(3) = 0\n"          // 5
             "100 +++ exited with 999999999999 +++\n");                             // 6
  auto r = run_proctrace_bounded({"render", "-d", "tree", log}, 60s);
  SCOPED_TRACE(r.err);
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, kExitInputErrors);
  for (int line : {2, 3, 4, 5, 6}) EXPECT_NE(r.err.find("huge.strace:" + std::to_string(line) + ": "), std::string::npos) << line;
  EXPECT_NE(r.err.find("out of range"), std::string::npos);
  // No process 101 appeared from a wrapped pid, and no exit code from a wrapped one.
  EXPECT_EQ(r.out.find("101"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("sh"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace proctrace::testing
