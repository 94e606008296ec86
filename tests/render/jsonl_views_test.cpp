#include <gtest/gtest.h>

#include "render_support.h"

namespace proctrace {
namespace {

using testing::render_text;

// Timestamps out of order on purpose: 12's events come before 11's. A Fork
// belongs to the child it creates.
const char* kTrace =
    R"({"Meta":{"format":"proctrace","version":1,"backend":"bpf","command":["sh"]}})" "\n"
    R"({"Exec":{"timestamp":1,"pid":10,"ppid":1,"pgid":10,"cmdline":["sh"]}})" "\n"
    R"({"Fork":{"timestamp":2,"parent_pid":10,"child_pid":11,"parent_pgid":10}})" "\n"
    R"({"Fork":{"timestamp":4,"parent_pid":10,"child_pid":12,"parent_pgid":10}})" "\n"
    R"({"Exec":{"timestamp":5,"pid":12,"ppid":10,"pgid":10,"cmdline":["b"]}})" "\n"
    R"({"Exec":{"timestamp":3,"pid":11,"ppid":10,"pgid":10,"cmdline":["a","x\ny"]}})" "\n"
    R"({"Exit":{"timestamp":5,"pid":11,"ppid":10,"pgid":10,"code":0,"signal":null}})" "\n"
    R"({"Stats":{"events":{},"lost":{},"end_timestamp":9}})" "\n";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

std::vector<std::string> timestamps_and_kinds(const std::string& jsonl) {
  std::vector<std::string> out;
  for (auto& l : lines_of(jsonl)) {
    auto ts = l.find("\"timestamp\":");
    if (ts == std::string::npos) {
      out.push_back(l.substr(2, l.find('"', 2) - 2));  // Meta / Stats
      continue;
    }
    auto end = l.find_first_of(",}", ts);
    out.push_back(l.substr(2, l.find('"', 2) - 2) + "@" + l.substr(ts + 12, end - ts - 12));
  }
  return out;
}

TEST(Multiplexed, EventsInTimestampOrderStableForTies) {
  EXPECT_EQ(timestamps_and_kinds(render_text(kTrace, "multiplexed")),
            (std::vector<std::string>{"Exec@1", "Fork@2", "Exec@3", "Fork@4", "Exec@5", "Exit@5"}));
}

TEST(ByProcess, HeaderPerProcessThenItsEventsWithBlankLinesBetween) {
  auto lines = lines_of(render_text(kTrace, "by-process"));
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "PID 10: sh",
                       R"({"Exec":{"timestamp":1,"pid":10,"ppid":1,"pgid":10,"cmdline":["sh"]}})",
                       "",
                       "PID 11: a 'x\\ny'",
                       R"({"Fork":{"timestamp":2,"parent_pid":10,"child_pid":11,"parent_pgid":10}})",
                       R"({"Exec":{"timestamp":3,"pid":11,"ppid":10,"pgid":10,"cmdline":["a","x\ny"]}})",
                       R"({"Exit":{"timestamp":5,"pid":11,"ppid":10,"pgid":10,"code":0,"signal":null}})",
                       "",
                       "PID 12: b",
                       R"({"Fork":{"timestamp":4,"parent_pid":10,"child_pid":12,"parent_pgid":10}})",
                       R"({"Exec":{"timestamp":5,"pid":12,"ppid":10,"pgid":10,"cmdline":["b"]}})",
                   }));
}

TEST(Sort, TimestampModeKeepsMetaFirstAndStatsLast) {
  testing::TempDir dir;
  testing::write_file(dir.file("r.jsonl"), kTrace);
  auto r = testing::run_proctrace({"sort", dir.file("r.jsonl")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(timestamps_and_kinds(r.out), (std::vector<std::string>{"Meta", "Exec@1", "Fork@2", "Exec@3", "Fork@4",
                                                                    "Exec@5", "Exit@5", "Stats"}));
}

TEST(Sort, ProcessModeGroupsInForkOrder) {
  testing::TempDir dir;
  testing::write_file(dir.file("r.jsonl"), kTrace);
  auto r = testing::run_proctrace({"sort", "-m", "process", dir.file("r.jsonl"), "-o", dir.file("out.jsonl")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(timestamps_and_kinds(testing::read_file(dir.file("out.jsonl"))),
            (std::vector<std::string>{"Meta", "Exec@1", "Fork@2", "Exec@3", "Exit@5", "Fork@4", "Exec@5", "Stats"}));
}

TEST(Sort, OutputIsAValidRecordingThatSortsToItself) {
  testing::TempDir dir;
  testing::write_file(dir.file("r.jsonl"), kTrace);
  auto once = testing::run_proctrace({"sort", dir.file("r.jsonl"), "-o", dir.file("once.jsonl")});
  ASSERT_EQ(once.exit_code, 0) << once.err;
  auto twice = testing::run_proctrace({"sort", dir.file("once.jsonl")});
  ASSERT_EQ(twice.exit_code, 0) << twice.err;
  EXPECT_EQ(twice.out, testing::read_file(dir.file("once.jsonl")));
}

}  // namespace
}  // namespace proctrace
