#include "render/command_text.h"

#include <gtest/gtest.h>

namespace proctrace {
namespace {

// The vector form (streams, Meta); the model's Argv goes the same way.
using Args = std::vector<std::string>;

TEST(QuoteArgv, QuotesOnlyWhatAShellWouldNeedAndKeepsOneLine) {
  EXPECT_EQ(quote_argv(Args{"ls", "-la", "/tmp"}), "ls -la /tmp");
  EXPECT_EQ(quote_argv(Args{"sh", "-c", "ls / | wc -l"}), "sh -c 'ls / | wc -l'");
  EXPECT_EQ(quote_argv(Args{"echo", "it's"}), "echo 'it'\\''s'");
  EXPECT_EQ(quote_argv(Args{"printf", "a\nb\tc\x01"}), "printf 'a\\nb\\tc\\x01'");
  EXPECT_EQ(quote_argv(Args{"echo", ""}), "echo ''");
  EXPECT_EQ(quote_argv(Args{"echo", "café"}), "echo café");
}

TEST(ShortCommand, UsesBasenameOfTheProgram) {
  EXPECT_EQ(short_command(Args{"/usr/bin/gcc", "-c", "x.c"}), "gcc -c x.c");
  EXPECT_EQ(short_command(Args{"./configure"}), "configure");
}

TEST(ShortCommand, ElidesStoreHashes) {
  std::string hash = "0123456789abcdfghijklmnpqrsvwxyz";
  EXPECT_EQ(short_command(Args{"/nix/store/" + hash + "-gcc-13/bin/gcc", "/nix/store/" + hash + "-glibc/lib/crt1.o"}),
            "gcc /nix/store/…-glibc/lib/crt1.o");
  // Shorter runs of letters are ordinary names.
  EXPECT_EQ(short_command(Args{"cat", "/srv/abcdef-x/y"}), "cat /srv/abcdef-x/y");
}

TEST(ShortCommand, CutsLongArgumentsKeepingTheFileName) {
  std::string path = "/home/user/src/project/subdir/another/level/of/nesting/main.c";
  std::string s = short_command(Args{"cc", path}, {30, 90});
  EXPECT_EQ(s.rfind("cc /home/user/src/", 0), 0u) << s;
  EXPECT_NE(s.find("…/main.c"), std::string::npos) << s;
  EXPECT_EQ(count_chars(s), 3 + 30u) << s;
  std::string flag(100, 'x');
  std::string f = short_command(Args{"cc", "-D" + flag}, {20, 90});
  EXPECT_EQ(f, "cc -Dxxxxxxxx…xxxxxxxxx");
}

TEST(ShortCommand, CutsTheLineAtMaxTotalWithoutSplittingCharacters) {
  std::vector<std::string> argv{"echo"};
  for (int i = 0; i < 50; ++i) argv.push_back("é");
  std::string s = short_command(argv, {48, 20});
  EXPECT_EQ(count_chars(s), 20u);
  EXPECT_EQ(s.substr(s.size() - 3), "…");
  EXPECT_EQ(s.rfind("echo é é", 0), 0u);
}

TEST(TruncateText, CountsCodePoints) {
  EXPECT_EQ(truncate_text("héllo", 5), "héllo");
  EXPECT_EQ(truncate_text("héllo", 3), "hé…");
  EXPECT_EQ(truncate_text("abc", 0), "");
}

TEST(Outcome, NamesExitCodesSignalsAndOpenEnds) {
  Process p;
  p.end = 5;
  p.exit.code = 0;
  EXPECT_EQ(outcome(p, nullptr), ProcessOutcome::Success);
  EXPECT_EQ(outcome_text(p, nullptr), "exit 0");
  p.exit.code = 2;
  EXPECT_EQ(outcome(p, nullptr), ProcessOutcome::Failed);
  p.exit = {};
  p.exit.signal = 11;
  p.exit.core_dumped = true;
  EXPECT_EQ(outcome_text(p, nullptr), "SIGSEGV (core)");
  p.exit = {};
  EXPECT_EQ(outcome_text(p, nullptr), "exited");  // original proctrace files have no status
  p.end.reset();
  p.pid = 7;
  EXPECT_EQ(outcome_text(p, nullptr), "running");
  Stats stats;
  stats.alive_at_end = {7};
  EXPECT_EQ(outcome_text(p, &stats), "running");
  stats.alive_at_end = {8};
  EXPECT_EQ(outcome_text(p, &stats), "no exit seen");
}

TEST(FormatDuration, PicksAReadableUnit) {
  EXPECT_EQ(format_duration(12), "12 ns");
  EXPECT_EQ(format_duration(789'000), "789 µs");
  EXPECT_EQ(format_duration(45'600'000), "45.6 ms");
  EXPECT_EQ(format_duration(1'234'000'000), "1.23 s");
}

}  // namespace
}  // namespace proctrace
