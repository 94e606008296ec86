// Regression tests for bad-input bugs found while hardening the reader.
#include <gtest/gtest.h>

#include "io/event_json.h"
#include "io/json_text.h"
#include "io/recording_reader.h"

namespace proctrace {
namespace {

struct Collect : RecordSink {
  std::vector<Event> events;
  std::vector<std::string> lines;
  Meta meta;
  void on_meta(const Meta& m) override { meta = m; }
  void on_event(const Event& e, std::string_view line) override {
    events.push_back(e);
    lines.emplace_back(line);
  }
};

const std::string kFork = "{\"Fork\":{\"timestamp\":1,\"parent_pid\":1,\"child_pid\":2,\"parent_pgid\":1}}\n";

// A complete but wrong last line is a bad line (exit 3), not a cut recording.
TEST(ReaderRobustness, WholeBadLastLineWithoutNewlineIsAnErrorNotACut) {
  Collect sink;
  Diagnostics diag(false);
  auto s = read_recording(kFork + "{\"Exit\":{\"timestamp\":\"late\",\"pid\":2}}", "r", sink, diag);
  EXPECT_FALSE(s.cut);
  EXPECT_EQ(s.bad_lines, 1u);
  EXPECT_EQ(diag.errors(), 1u);
}

TEST(ReaderRobustness, LastLineStoppingInsideAStringOrObjectIsACut) {
  for (std::string tail : {"{\"Exec\":{\"timestamp\":2,\"cmdline\":[\"a}", "{\"Exit\":{\"timestamp\":2,\"pid\":2}",
                           "{\"Exit\":{\"timestamp\":2,\"core_dumped\":tr", "{"}) {
    Collect sink;
    Diagnostics diag(false);
    auto s = read_recording(kFork + tail, "r", sink, diag);
    EXPECT_TRUE(s.cut) << tail;
    EXPECT_EQ(diag.errors(), 0u) << tail;
    EXPECT_EQ(sink.events.size(), 1u) << tail;
  }
}

TEST(ReaderRobustness, InvalidUtf8InArgvIsReplacedAndTheLineNotPassedOn) {
  Collect sink;
  Diagnostics diag(false);
  auto s = read_recording(kFork + "{\"Exec\":{\"timestamp\":2,\"pid\":2,\"cmdline\":[\"caf\xe9\",\"\xf0\x9f\x98\x80\"]}}\n",
                          "r", sink, diag);
  EXPECT_EQ(s.events, 2u);
  EXPECT_EQ(s.replaced_invalid_utf8, 1u);
  ASSERT_EQ(sink.events.size(), 2u);
  EXPECT_EQ(sink.events[1].cmdline[0], "caf\xEF\xBF\xBD");
  EXPECT_EQ(sink.events[1].cmdline[1], "\xf0\x9f\x98\x80");  // valid 4-byte UTF-8 is kept
  EXPECT_FALSE(sink.lines[0].empty());
  EXPECT_TRUE(sink.lines[1].empty());  // the sink must serialize the event itself
  ASSERT_EQ(diag.kept().size(), 1u);
  EXPECT_EQ(diag.kept()[0].line, 2u);
  EXPECT_EQ(diag.kept()[0].severity, Severity::Warning);
}

TEST(ReaderRobustness, InvalidUtf8InMetaDoesNotCostTheMetaLine) {
  Collect sink;
  Diagnostics diag(false);
  auto s = read_recording("{\"Meta\":{\"version\":1,\"command\":[\"ls\",\"\xff\"]}}\n" + kFork, "r", sink, diag);
  EXPECT_TRUE(s.has_meta);
  EXPECT_EQ(diag.errors(), 0u);
  ASSERT_EQ(sink.meta.command.size(), 2u);
  EXPECT_EQ(sink.meta.command[1], "\xEF\xBF\xBD");
}

TEST(ReaderRobustness, CursorKeysWithHighBytesAreValidated) {
  json::Cursor c("\"k\xff\"");
  std::string_view key;
  std::string scratch;
  ASSERT_TRUE(c.read_key(key, scratch));
  EXPECT_EQ(key, "k\xEF\xBF\xBD");
  EXPECT_TRUE(c.replaced_invalid_utf8());
}

TEST(ReaderRobustness, TruncatedUtf8SequenceAtEndOfStringIsReplaced) {
  json::Cursor c("\"ab\xe2\x82\"");
  std::string s;
  ASSERT_TRUE(c.read_string(s));
  EXPECT_EQ(s, "ab\xEF\xBF\xBD\xEF\xBF\xBD");
}

// Found by fuzz_recording: nlohmann's get<int>() on 1.18e20 is undefined
// behaviour; out-of-range and fractional numbers must be bad lines.
TEST(ReaderRobustness, MetaAndStatsNumbersOutOfRangeAreErrors) {
  for (std::string line : std::vector<std::string>{"{\"Meta\":{\"version\":118446744073709551615}}",
                           "{\"Meta\":{\"version\":3000000000}}",
                           "{\"Meta\":{\"version\":1.5}}",
                           "{\"Meta\":{\"start_timestamp\":-1}}",
                           "{\"Stats\":{\"root_status\":1e300}}",
                           "{\"Stats\":{\"lost\":{\"ringbuf_full\":-3}}}",
                           "{\"Stats\":{\"events\":[[\"Exec\",1]]}}",
                           "{\"Stats\":{\"alive_at_end\":[4294967296]}}",
                           "{\"Stats\":{\"extra\":" + std::string(100, '[') + std::string(100, ']') + "}}"}) {
    ParsedLine parsed;
    EXPECT_FALSE(parse_line(line, parsed)) << line;
    EXPECT_FALSE(parsed.error.empty()) << line;
  }
  ParsedLine parsed;
  ASSERT_TRUE(parse_line("{\"Stats\":{\"lost\":{\"ringbuf_full\":18446744073709551615},\"root_status\":-1}}", parsed));
  EXPECT_EQ(parsed.stats.lost["ringbuf_full"], 18446744073709551615u);
  EXPECT_EQ(parsed.stats.root_status, -1);
}

TEST(ReaderRobustness, HugeDiagnosticMessagesAreCut) {
  Diagnostics diag(false);
  diag.error("f", 1, std::string(5000, 'x') + "\xE2\x82\xAC");
  EXPECT_LT(diag.kept()[0].message.size(), 1100u);
}
}  // namespace
}  // namespace proctrace
