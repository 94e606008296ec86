// Reading recordings for the build analyses: diff reads its two at once,
// and must report their problems as reading one after the other would.
#include "analyze/build_runs.h"

#include <gtest/gtest.h>

#include "io/input_file.h"
#include "test_support.h"

namespace proctrace {
namespace {

std::string recording(Pid pid, const std::string& bad_line) {
  const std::string p = std::to_string(pid);
  return "{\"Fork\":{\"timestamp\":1,\"parent_pid\":1,\"child_pid\":" + p + ",\"parent_pgid\":1}}\n" + bad_line +
         "\n{\"Exec\":{\"timestamp\":2,\"pid\":" + p + ",\"ppid\":1,\"pgid\":1,\"cmdline\":[\"cc\"],\"filename\":\"/bin/cc\"}}\n" +
         "{\"Exit\":{\"timestamp\":5,\"pid\":" + p + ",\"ppid\":1,\"pgid\":1,\"code\":0}}\n";
}

TEST(ReadBuildRecordings, BothReadProblemsInTheOrderOfTheInputs) {
  proctrace::testing::TempDir dir;
  std::string bad_a, bad_b;
  for (int i = 0; i < 3; ++i) bad_a += "{\"Fork\":\n";
  for (int i = 0; i < 30; ++i) bad_b += "[\n";  // more than a quiet reader keeps
  proctrace::testing::write_file(dir.file("a"), recording(10, bad_a));
  proctrace::testing::write_file(dir.file("b"), recording(20, bad_b));
  Diagnostics diag(false, 100);
  auto [a, b] = read_build_recordings({dir.file("a"), dir.file("b")}, diag);
  ASSERT_EQ(a.processes.size(), 2u);  // pid 1 and its child
  ASSERT_EQ(b.processes.size(), 2u);
  EXPECT_EQ(a.processes[1].pid, 10);
  EXPECT_EQ(b.processes[1].pid, 20);
  EXPECT_EQ(diag.errors(), 33u);  // every bad line counted, kept or not
  ASSERT_GE(diag.kept().size(), 4u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(diag.kept()[i].file, dir.file("a")) << i;
  EXPECT_EQ(diag.kept()[3].file, dir.file("b"));
}

TEST(ReadBuildRecordings, TheFirstInputsErrorWins) {
  proctrace::testing::TempDir dir;
  proctrace::testing::write_file(dir.file("ok"), recording(10, ""));
  Diagnostics diag(false);
  try {
    read_build_recordings({dir.file("missing-1"), dir.file("missing-2")}, diag);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("missing-1"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_build_recordings({dir.file("ok"), dir.file("missing-2")}, diag), InputError);
}

}  // namespace
}  // namespace proctrace
