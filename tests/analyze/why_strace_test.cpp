// `proctrace why` on real strace logs (tests/fixtures/why/, made by
// scripts/gen-why-strace-fixtures.sh) that end with work alive: the state
// at the end of the log is replayed from its lines (fds inherited at fork,
// pipes named by -yy, the call each process was cut off in), and the same
// holder and wait-for analysis as for a recorder snapshot answers.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "import/strace_test_helpers.h"
#include "test_support.h"

namespace proctrace::testing {
namespace {

// Each log's last line was cut off mid-call when strace stopped: a bad line
// (exit code 3, named on stderr), the rest is explained.
nlohmann::json why_json(const std::string& log) {
  RunResult r = run_proctrace({"why", "--json", fixture("why/" + log)});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("line cut off?"), std::string::npos) << r.err;
  return nlohmann::json::parse(r.out);
}

TEST(WhyStrace, BackgroundSleepHoldingTheStdoutPipeIsNamed) {
  auto j = why_json("held_stdout.log");
  EXPECT_EQ(j["verdict"], "hang") << j.dump(1);
  ASSERT_EQ(j["held_stdio"].size(), 1u) << j.dump(1);
  auto& held = j["held_stdio"][0];
  EXPECT_EQ(held["stream"], "stdout");
  // sh's write(1<pipe:[N]>) named the pipe; sleep inherited fd 1 at fork.
  EXPECT_EQ(held["target"].get<std::string>().rfind("pipe:[", 0), 0u) << held;
  ASSERT_EQ(held["holders"].size(), 1u) << held;
  EXPECT_EQ(held["holders"][0]["command"], "sleep 3");
  EXPECT_EQ(held["holders"][0]["fd"], 1);
  EXPECT_EQ(held["holders"][0]["parent"]["command"], "sh -c 'sleep 3 & echo done'");
  // Its clock_nanosleep is the cut-off last line: alive, call unknown.
  ASSERT_EQ(j["alive"].size(), 1u);
  EXPECT_EQ(j["alive"][0]["command"], "sleep 3");

  RunResult text = run_proctrace({"why", fixture("why/held_stdout.log")});
  EXPECT_NE(text.out.find("but 1 process kept its stdout (pipe:["), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("`sleep 3` (fd 1, inherited from `sh -c 'sleep 3 & echo done'`"), std::string::npos)
      << text.out;
}

TEST(WhyStrace, CatBlockedOpeningAFifoNobodyWrites) {
  auto j = why_json("fifo_timeout.log");
  EXPECT_EQ(j["verdict"], "running") << j.dump(1);
  std::string cat_waits, sh_waits;
  for (auto& a : j["alive"]) {
    if (a["command"] == "cat f") cat_waits = a.value("waits_on", "");
    if (a["command"].get<std::string>().rfind("sh -c 'mkfifo f;", 0) == 0) sh_waits = a.value("waits_on", "");
  }
  // cat's openat is an "<unfinished ...>" line; mkfifo's mknodat(...,
  // S_IFIFO) told the log the path is a fifo.
  EXPECT_NE(cat_waits.find("blocks opening the fifo /"), std::string::npos) << j["alive"];
  EXPECT_NE(cat_waits.find("/f for reading, which no process has open for writing"), std::string::npos) << cat_waits;
  // sh is in wait4(-1) for `sleep 3` with `cat f` still alive in the
  // background: either child ending would return from it.
  EXPECT_NE(sh_waits.find("waits for its children pid"), std::string::npos) << j["alive"];
  EXPECT_NE(sh_waits.find("(`cat f`) and pid"), std::string::npos) << sh_waits;
  EXPECT_NE(sh_waits.find("(`sleep 3`)"), std::string::npos) << sh_waits;
  ASSERT_EQ(j["wait_chains"].size(), 1u) << j.dump(1);
}

// tree and html mark the same culprits as on a recording's snapshot.
TEST(WhyStrace, TreeAndHtmlMarkTheHolderOfTheStdoutPipe) {
  RunResult tree = run_proctrace({"render", "-d", "tree", fixture("why/held_stdout.log")});
  EXPECT_EQ(tree.exit_code, 3) << tree.err;  // the cut-off last line
  std::string sleep_line;
  for (std::size_t at = 0, end; at < tree.out.size(); at = end + 1) {
    end = tree.out.find('\n', at);
    if (end == std::string::npos) end = tree.out.size();
    std::string line = tree.out.substr(at, end - at);
    if (line.find(" sleep 3") != std::string::npos) sleep_line = line;
  }
  EXPECT_NE(sleep_line.find("sleep 3 ◀ holds the job's stdout"), std::string::npos) << tree.out;

  RunResult html = run_proctrace({"render", "-d", "html", fixture("why/held_stdout.log")});
  EXPECT_EQ(html.exit_code, 3) << html.err;
  EXPECT_EQ(html.out.find("\"why\":null"), std::string::npos);
  EXPECT_NE(html.out.find("\"why\":{\"verdict\":\"hang\""), std::string::npos);
}

// A log in which everything exited has nothing to mark.
TEST(WhyStrace, TreeOfAFinishedLogHasNoMarks) {
  TempDir dir;
  RunResult tree = run_proctrace({"render", "-d", "tree", unpack_strace_fixture("make.fttTyyy.log.xz", dir)});
  EXPECT_EQ(tree.exit_code, 0) << tree.err;
  EXPECT_EQ(tree.out.find("◀"), std::string::npos) << tree.out;
}

}  // namespace
}  // namespace proctrace::testing
