// --redact-pattern: the user's shapes, on RE2, against hostile command lines.
#include "model/redact_patterns.h"

#include <gtest/gtest.h>

#include <chrono>

#include "io/redact_recording.h"
#include "test_support.h"

namespace proctrace {
namespace {

RedactPatterns compiled(std::initializer_list<const char*> patterns) {
  RedactPatterns p;
  for (const char* pattern : patterns) {
    std::string error;
    EXPECT_TRUE(p.add(pattern, error)) << pattern << ": " << error;
  }
  return p;
}

std::string masked(const RedactPatterns& p, std::string text) {
  p.apply(text);
  return text;
}

TEST(RedactPatterns, EveryMatchOfEveryPatternBecomesStars) {
  auto p = compiled({"corp-[0-9a-f]{8}", "hunter[0-9]"});
  EXPECT_EQ(masked(p, "--key=corp-deadbeef,corp-01234567 hunter2 corp-xyz"), "--key=***,*** *** corp-xyz");
  EXPECT_EQ(masked(p, "nothing here"), "nothing here");
  std::string unchanged = "nothing here";
  EXPECT_FALSE(p.apply(unchanged));
  std::vector<std::string> argv{"deploy", "--to", "prod", "corp-aaaaaaaa"};
  EXPECT_TRUE(p.apply(argv));
  EXPECT_EQ(argv, (std::vector<std::string>{"deploy", "--to", "prod", "***"}));
  // Anchors see the whole word; (?i) and classes are RE2's.
  EXPECT_EQ(masked(compiled({"^secret-.*"}), "secret-1 and secret-2"), "***");
  EXPECT_EQ(masked(compiled({"(?i)PASS:\\S+"}), "x pass:abc y"), "x *** y");
  // Redacting again changes nothing.
  std::string twice = masked(p, "hunter7");
  EXPECT_FALSE(p.apply(twice));
  EXPECT_EQ(twice, "***");
}

TEST(RedactPatterns, BadPatternsAreRefusedWithTheReason) {
  RedactPatterns p;
  std::string error;
  EXPECT_FALSE(p.add("(unclosed", error));
  EXPECT_NE(error.find("missing )"), std::string::npos) << error;
  EXPECT_FALSE(p.add("a{2,1}", error));
  EXPECT_FALSE(p.add("(a)\\1", error));  // backreferences: not RE2
  EXPECT_FALSE(p.add("x(?=y)", error));  // lookahead: not RE2
  // A pattern that matches the empty string would mask nothing or everything.
  for (const char* empty : {"", "a*", "x?", "^", "$", "(|a)"}) {
    EXPECT_FALSE(p.add(empty, error)) << empty;
    EXPECT_NE(error.find("empty string"), std::string::npos) << empty << ": " << error;
  }
  // A huge automaton is refused, not built.
  EXPECT_FALSE(p.add("((((a{100}){100}){100}){100})", error));
  EXPECT_TRUE(p.empty());
  // Zero-width matches inside a word mask nothing and end the scan.
  EXPECT_TRUE(p.add("\\b", error)) << error;
  EXPECT_EQ(masked(p, "two words"), "two words");
}

// A command line word can be 128 KiB (MAX_ARG_STRLEN), and a pattern may be
// one that makes a backtracking engine take exponential time or recurse
// once per character (std::regex overflows the stack here). RE2 is linear.
TEST(RedactPatterns, LongArgvWithPathologicalPatternsTakesLinearTime) {
  const std::string word(128 << 10, 'a');
  auto p = compiled({"(a+)+$x", "(a|aa)*b", "(a*)*c", "(.*a){20}z", "(a|b)*c"});
  const auto start = std::chrono::steady_clock::now();
  std::string text = word;
  EXPECT_FALSE(p.apply(text));
  std::vector<std::string> argv(16, word);  // 2 MiB of argv in all
  EXPECT_FALSE(p.apply(argv));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 5.0) << "shared machine: generous, yet exponential would be years";
  // And one that matches everything long: one ***.
  EXPECT_EQ(masked(compiled({"a+"}), word), "***");
  // Many short matches in one long word.
  std::string many;
  for (int i = 0; i < 20000; ++i) many += "k=corp-12345678;";
  EXPECT_EQ(masked(compiled({"corp-[0-9]{8}"}), many).find("corp-"), std::string::npos);
}

TEST(RedactPatterns, ARecordingIsMaskedInArgvFilenameMetaAndSnapshots) {
  // The Meta line of a real recording (its command holds a URL), then an exec.
  const std::string real_meta = testing::read_file(testing::fixture("recordings/special_argv.jsonl"));
  ASSERT_NE(real_meta.find("https://example.com/a:b#c"), std::string::npos);
  const std::string recording =
      real_meta.substr(0, real_meta.find('\n') + 1) +
      "{\"Exec\":{\"timestamp\":1,\"pid\":2,\"ppid\":1,\"pgid\":2,\"cmdline\":[\"/opt/corp-22222222/run\","
      "\"--x=corp-33333333\",\"--password=pw\"],\"sid\":2,\"filename\":\"/opt/corp-22222222/run\",\"truncated\":false}}\n";
  RedactedRecording r = redact_recording(recording, compiled({"corp-[0-9]{8}", "example\\.com"}));
  EXPECT_EQ(r.lines_dropped, 0u) << r.text;
  EXPECT_EQ(r.text.find("example.com"), std::string::npos) << r.text;
  EXPECT_EQ(r.text.find("corp-"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("\"/opt/***/run\",\"--x=***\",\"--password=***\""), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("\"filename\":\"/opt/***/run\""), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("\"command\":[\"/bin/echo\",\": # ; \\\" < > \xC3\xA9\",\"https://***/a:b#c\""),
            std::string::npos)
      << r.text;
  // A real recording with a snapshot of what was still running.
  RedactedRecording real =
      redact_recording(testing::read_file(testing::fixture("recordings/held_stdout.jsonl")), compiled({"^sleep$"}));
  EXPECT_EQ(real.lines_dropped, 0u);
  EXPECT_NE(real.text.find("{\"Snapshot\""), std::string::npos);
  EXPECT_NE(real.text.find("\"cmdline\":[\"***\",\"1\"]"), std::string::npos);
  EXPECT_EQ(real.text.find("[\"sleep\",\"1\"]"), std::string::npos);
  // Without patterns, only the built-in shapes.
  EXPECT_NE(redact_recording(recording).text.find("corp-33333333"), std::string::npos);
}

}  // namespace
}  // namespace proctrace
