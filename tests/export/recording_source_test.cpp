#include "export/recording_source.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace proctrace {
namespace {

TEST(RecordingSource, CommaJoinsTheFilesOfOneStraceLog) {
  EXPECT_EQ(split_input("a.1,a.2"), (std::vector<std::string>{"a.1", "a.2"}));
  EXPECT_EQ(split_input("plain.jsonl"), std::vector<std::string>{"plain.jsonl"});
  testing::TempDir dir;
  std::string odd = dir.file("with,comma");
  testing::write_file(odd, "x");
  EXPECT_EQ(split_input(odd), std::vector<std::string>{odd});
}

}  // namespace
}  // namespace proctrace
