#include "io/recording_reader.h"

#include <gtest/gtest.h>

namespace proctrace {
namespace {

struct Collect : RecordSink {
  std::vector<Event> events;
  bool meta = false, stats = false;
  void on_meta(const Meta&) override { meta = true; }
  void on_event(const Event& e, std::string_view) override { events.push_back(e); }
  void on_stats(const Stats&) override { stats = true; }
};

TEST(RecordingReader, CutLastLineKeepsEverythingBefore) {
  std::string data =
      "{\"Fork\":{\"timestamp\":1,\"parent_pid\":1,\"child_pid\":2,\"parent_pgid\":1}}\n"
      "{\"Exec\":{\"timestamp\":2,\"pid\":2,\"ppid\":1,\"pgid\":1,\"cmdline\":[\"ls\"]}}\n"
      "{\"Exit\":{\"timestamp\":3,\"pi";
  Collect sink;
  Diagnostics diag(false);
  auto s = read_recording(data, "rec.jsonl", sink, diag);
  EXPECT_TRUE(s.cut);
  EXPECT_EQ(sink.events.size(), 2u);
  EXPECT_EQ(diag.errors(), 0u);
  ASSERT_EQ(diag.kept().size(), 1u);
  EXPECT_EQ(diag.kept()[0].line, 3u);
  EXPECT_NE(diag.kept()[0].to_string().find("rec.jsonl:3: recording cut off"), std::string::npos);
}

TEST(RecordingReader, MalformedMiddleLineIsReportedWithLineNumberAndSkipped) {
  std::string data =
      "{\"Fork\":{\"timestamp\":1,\"parent_pid\":1,\"child_pid\":2,\"parent_pgid\":1}}\n"
      "\n"
      "{\"Exec\":{\"timestamp\":\"soon\",\"pid\":2}}\n"
      "{\"Exit\":{\"timestamp\":3,\"pid\":2,\"ppid\":1,\"pgid\":1}}\n";
  Collect sink;
  Diagnostics diag(false);
  auto s = read_recording(data, "r", sink, diag);
  EXPECT_FALSE(s.cut);
  EXPECT_EQ(s.bad_lines, 1u);
  EXPECT_EQ(sink.events.size(), 2u);
  ASSERT_EQ(diag.kept().size(), 1u);
  EXPECT_EQ(diag.kept()[0].line, 3u);
  EXPECT_NE(diag.kept()[0].message.find("timestamp"), std::string::npos);
}

TEST(RecordingReader, EmptyInputIsAnError) {
  Collect sink;
  Diagnostics diag(false);
  read_recording("\n\n", "e", sink, diag);
  EXPECT_EQ(diag.errors(), 1u);
}

TEST(RecordingReader, DetectsRecordingsByContent) {
  EXPECT_TRUE(looks_like_recording("  \n{\"Fork\":{}}"));
  EXPECT_FALSE(looks_like_recording("1234  execve(\"/bin/ls\", ...) = 0"));
}

}  // namespace
}  // namespace proctrace
