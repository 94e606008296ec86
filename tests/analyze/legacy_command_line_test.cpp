// strace-parser's command lines work unchanged: the input before the command,
// unique prefixes of a command, its old `list_pids` spelling, several pids
// after one -p, and `help [COMMAND]`. Each form must give exactly what the
// proctrace form gives.
#include <gtest/gtest.h>

#include "analyze/three_process_log.h"
#include "test_support.h"

namespace proctrace::testing {
namespace {

using LegacyCommandLine = ThreeProcessLogTest;

TEST_F(LegacyCommandLine, InputBeforeTheCommandIsTheSameAsAfter) {
  auto ours = run_proctrace({"summary", log_});
  ASSERT_EQ(ours.exit_code, 0) << ours.err;
  auto theirs = run_proctrace({log_, "summary"});
  ASSERT_EQ(theirs.exit_code, 0) << theirs.err;
  EXPECT_EQ(theirs.out, ours.out);
  // Options after the command keep their meaning.
  EXPECT_EQ(run_proctrace({log_, "summary", "--json"}).out, run_proctrace({"summary", "--json", log_}).out);
  // `pid` takes its pid after the input, as in strace-parser.
  auto pid = run_proctrace({log_, "pid", "301"});
  ASSERT_EQ(pid.exit_code, 0) << pid.err;
  EXPECT_EQ(pid.out, run_proctrace({"pid", log_, "301"}).out);
}

TEST_F(LegacyCommandLine, UniquePrefixesAndTheOldSpellingNameTheirCommand) {
  const std::string list = run_proctrace({"list-pids", log_}).out;
  ASSERT_FALSE(list.empty());
  EXPECT_EQ(run_proctrace({log_, "list_pids"}).out, list);
  EXPECT_EQ(run_proctrace({log_, "l"}).out, list);
  EXPECT_EQ(run_proctrace({"su", log_}).out, run_proctrace({"summary", log_}).out);
  // strace-parser's abbreviations keep their meaning beside proctrace's
  // newer commands (sort, stats): `s` is summary, `fi` files.
  EXPECT_EQ(run_proctrace({log_, "s"}).out, run_proctrace({"summary", log_}).out);
  EXPECT_EQ(run_proctrace({log_, "fi"}).out, run_proctrace({"files", log_}).out);
  auto ambiguous = run_proctrace({log_, "r"});  // record, render
  EXPECT_EQ(ambiguous.exit_code, 2);
  EXPECT_NE(ambiguous.err.find("ambiguous"), std::string::npos) << ambiguous.err;
  EXPECT_NE(ambiguous.err.find("render"), std::string::npos) << ambiguous.err;
}

TEST_F(LegacyCommandLine, SeveralPidsAfterOneDashP) {
  auto joined = run_proctrace({"list-pids", log_, "-p", "301,302"});
  ASSERT_EQ(joined.exit_code, 0) << joined.err;
  auto spaced = run_proctrace({log_, "list-pids", "-p", "301", "302"});
  ASSERT_EQ(spaced.exit_code, 0) << spaced.err;
  EXPECT_EQ(spaced.out, joined.out);
  EXPECT_NE(joined.out.find("302"), std::string::npos) << joined.out;
}

TEST_F(LegacyCommandLine, HelpAndVersion) {
  auto help = run_proctrace({"help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("summary"), std::string::npos) << help.out;
  auto one = run_proctrace({"help", "summary"});
  EXPECT_EQ(one.exit_code, 0);
  EXPECT_EQ(one.out, run_proctrace({"summary", "--help"}).out);
  EXPECT_EQ(run_proctrace({"help", "nosuch"}).exit_code, 2);
  auto v = run_proctrace({"-V"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out.rfind("proctrace ", 0), 0u) << v.out;
}

TEST_F(LegacyCommandLine, AFileNamedLikeACommandIsStillAnInput) {
  // `proctrace summary x` where x exists is the normal form; a word that is a
  // command and a file at once is a command, as before.
  TempDir cwd;
  auto r = run({"sh", "-c", "cd '" + cwd.path() + "' && cp '" + log_ + "' summary && '" + proctrace_binary() +
                                "' summary summary"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("301"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace proctrace::testing
