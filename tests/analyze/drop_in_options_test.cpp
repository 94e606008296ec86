// The options strace-parser's and the original proctrace's users type, and
// what each view owes them: exits in summary and list-pids, list-pids
// -c/-s, io -s, quantize bars against the largest bucket, --truncate honoured
// by mermaid (and refused where a view has no use for it), an -ff prefix for
// export, --date for logs without one, the program of a cut argv[0], failed
// execve calls, and process-group changes in the tree.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <ctime>
#include <sstream>

#include "analyze/three_process_log.h"
#include "io/diagnostics.h"
#include "load/trace.h"
#include "render/command_text.h"
#include "test_support.h"

namespace proctrace::testing {
namespace {

using nlohmann::json;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

using DropInOptions = ThreeProcessLogTest;

TEST_F(DropInOptions, SummaryAndListPidsLeadWithEachProcesssExit) {
  auto summary = run_proctrace({"summary", log_});
  ASSERT_EQ(summary.exit_code, 0) << summary.err;
  EXPECT_NE(summary.out.find("exit 1"), std::string::npos) << summary.out;
  json doc = json::parse(run_proctrace({"summary", "--json", log_}).out);
  bool seen = false;
  for (auto& p : doc["processes"])
    if (p["pid"] == 301) {
      seen = true;
      EXPECT_EQ(p["exit"]["code"], 1);
      EXPECT_EQ(p["outcome"], "exit 1");
    }
  EXPECT_TRUE(seen) << doc.dump();

  auto list = run_proctrace({"list-pids", log_, "-p", "301"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  // strace-parser's per-pid header line, led by the exit.
  EXPECT_NE(list.out.find("PID 301"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("exit 1; 2 syscalls, active "), std::string::npos) << list.out;
  json pids = json::parse(run_proctrace({"list-pids", "--json", log_}).out);
  ASSERT_EQ(pids["processes"].size(), 3u);
  EXPECT_EQ(pids["processes"][1]["exit"]["code"], 1);
}

TEST_F(DropInOptions, ListPidsCountAndSort) {
  json all = json::parse(run_proctrace({"list-pids", "--json", log_}).out);
  ASSERT_EQ(all["processes"].size(), 3u);
  EXPECT_EQ(all["processes"][0]["pid"], 300) << "tree order by default";
  // 302's write took 300 µs: the most active.
  json top = json::parse(run_proctrace({"list-pids", "--json", "-s", "active_time", "-c", "1", log_}).out);
  ASSERT_EQ(top["processes"].size(), 1u);
  EXPECT_EQ(top["processes"][0]["pid"], 302);
  json by_pid = json::parse(run_proctrace({"list-pids", "--json", "--sort", "pid", log_}).out);
  EXPECT_EQ(by_pid["processes"][2]["pid"], 302);
  EXPECT_EQ(run_proctrace({"list-pids", "-s", "nosuch", log_}).exit_code, 2);
}

TEST_F(DropInOptions, IoSortsItsCalls) {
  json by_time = json::parse(run_proctrace({"io", "--json", log_}).out);
  ASSERT_EQ(by_time["calls"].size(), 2u);
  EXPECT_EQ(by_time["calls"][0]["syscall"], "read");
  json slowest = json::parse(run_proctrace({"io", "--json", "-s", "duration", log_}).out);
  EXPECT_EQ(slowest["calls"][0]["syscall"], "write");
}

TEST_F(DropInOptions, QuantizeFillsTheWidthWithTheLargestBucket) {
  auto q = run_proctrace({"quantize", "read,write", log_});
  ASSERT_EQ(q.exit_code, 0) << q.err;
  EXPECT_NE(q.out.find("|" + std::string(40, '@') + "|"), std::string::npos) << q.out;
}

TEST(DropInRender, MermaidHonoursTruncateAndViewsRefuseOptionsTheyDoNotUse) {
  const std::string rec = fixture("recordings/make.jsonl");
  auto chart = run_proctrace({"render", "-d", "mermaid", "--truncate", "12", rec});
  ASSERT_EQ(chart.exit_code, 0) << chart.err;
  auto full = run_proctrace({"render", "-d", "mermaid", rec});
  EXPECT_NE(full.out.find("    sh -c 'sleep 0.02#59; echo a #62; a.o' :"), std::string::npos) << full.out;
  EXPECT_NE(chart.out.find("    sh -c 'slee\u2026 :"), std::string::npos) << chart.out;  // 12 characters
  EXPECT_LT(chart.out.size(), full.out.size());
  for (std::vector<std::string> args : {std::vector<std::string>{"--truncate", "5"}, {"--critical-path"}, {"--url"}}) {
    std::vector<std::string> cmd{"render", "-d", "multiplexed"};
    cmd.insert(cmd.end(), args.begin(), args.end());
    cmd.push_back(rec);
    auto r = run_proctrace(cmd);
    EXPECT_EQ(r.exit_code, 2) << args[0];
    EXPECT_NE(r.err.find("works with -d"), std::string::npos) << r.err;
  }
  EXPECT_EQ(run_proctrace({"render", "-d", "tree", "--truncate", "5", rec}).exit_code, 0);
}

TEST(DropInRender, TreeAndReportMarkANewSessionOrProcessGroup) {
  // bash -m puts each job in a process group of its own; setsid(1), a
  // group leader then, forks, and its child 30728 starts a new session.
  auto tree = run_proctrace({"render", "-d", "tree", fixture("recordings/sessions.jsonl")});
  ASSERT_EQ(tree.exit_code, 0) << tree.err;
  EXPECT_NE(tree.out.find("30725 [exit 0] sleep 0.05 [new process group 30725]"), std::string::npos) << tree.out;
  EXPECT_NE(tree.out.find("30728 [exit 0] sh -c 'exit 0' [new session 30728]"), std::string::npos) << tree.out;
  auto html = run_proctrace({"render", "-d", "html", fixture("recordings/sessions.jsonl")});
  EXPECT_NE(html.out.find("exit 0 \u00b7 new session 30728"), std::string::npos);
}

TEST(DropInRender, TreeLinesFitTheTerminalAsPstreesDo) {
  const std::string rec = fixture("recordings/make.jsonl");
  auto piped = run_proctrace({"tree", rec});
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  std::size_t longest = 0;
  for (const std::string& line : lines_of(piped.out)) longest = std::max(longest, count_chars(line));
  EXPECT_GT(longest, 40u) << "a pipe gets whole lines";
  // `script` gives proctrace a terminal, stty makes it 40 columns wide.
  for (std::string view : {"tree", "render -d tree"}) {
    auto tty = run({"script", "-qec", std::string("stty cols 40; '") + proctrace_binary() + "' " + view + " '" + rec + "'",
                    "/dev/null"});
    ASSERT_EQ(tty.exit_code, 0) << tty.err;
    std::size_t cut = 0, count = 0;
    for (std::string line : lines_of(tty.out)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      ++count;
      EXPECT_LE(count_chars(line), 40u) << view << ": " << line;
      cut += line.ends_with("\u2026");
    }
    EXPECT_GE(count, 5u) << tty.out;
    EXPECT_GT(cut, 0u) << tty.out;
  }
  auto truncated = run_proctrace({"tree", "--truncate", "8", rec});
  EXPECT_NE(truncated.out.find("] make -s\u2026"), std::string::npos) << truncated.out;
}

TEST(DropInExport, AnStraceFfPrefixNamesAllItsFiles) {
  TempDir dir;
  auto x = run({"tar", "-xJf", fixture("strace/make.ff.tar.xz"), "-C", dir.path()});
  ASSERT_EQ(x.exit_code, 0) << x.err;
  const std::string db = dir.file("x.db");
  auto r = run_proctrace({"export", "--sqlite", db, dir.file("make.ff/trace")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto n = run({"sqlite3", db, "SELECT count(*) FROM processes"});
  ASSERT_EQ(n.exit_code, 0) << n.err;
  EXPECT_EQ(n.out, "10\n");
}

std::time_t local_midnight(int year, int month, int day) {
  std::tm t{};
  t.tm_year = year - 1900;
  t.tm_mon = month - 1;
  t.tm_mday = day;
  t.tm_isdst = -1;
  return std::mktime(&t);
}

TEST_F(DropInOptions, DateGivesATimeOfDayLogItsDay) {
  Diagnostics diag(false);
  LoadOptions options;
  options.date = "2020-02-29";
  auto trace = load_trace({log_}, diag, options);
  const Process& root = trace->tree[trace->tree.roots().front()];
  EXPECT_EQ(trace->meta.wall_clock_ns(root.start), (local_midnight(2020, 2, 29) + 10 * 3600) * 1'000'000'000LL);
  EXPECT_EQ(trace->meta.extra.at("strace_date").substr(0, 10), "2020-02-29");

  EXPECT_EQ(run_proctrace({"summary", "--date", "2020-02-29", log_}).exit_code, 0);
  for (const char* bad : {"2021-02-29", "2020-13-01", "20-01-01", "2020-01-01x", "yesterday"}) {
    auto r = run_proctrace({"summary", "--date", bad, log_});
    EXPECT_EQ(r.exit_code, 2) << bad;
  }
}

TEST(DropInImport, ACutArgv0IsNamedByTheExecvePath) {
  TempDir dir;
  const std::string log = dir.file("cut.txt");
  write_file(log,
             "7 10:00:00.000000 execve(\"/usr/lib/gcc/x86_64-linux-gnu/12/cc1\", "
             "[\"/usr/lib/gcc/x86_64-linux-gnu/12\"..., \"-quiet\", \"a-long-argument-that-strace-cut-\"...], "
             "0x1 /* 1 var */) = 0 <0.000100>\n"
             "7 10:00:00.000500 +++ exited with 0 +++\n");
  auto tree = run_proctrace({"tree", log});
  ASSERT_EQ(tree.exit_code, 0) << tree.err;
  EXPECT_NE(tree.out.find("/usr/lib/gcc/x86_64-linux-gnu/12/cc1 -quiet a-long-argument-that-strace-cut-\u2026"),
            std::string::npos)
      << tree.out;
  json exec = json::parse(run_proctrace({"exec", "--json", log}).out);
  ASSERT_EQ(exec["execs"].size(), 1u);
  EXPECT_EQ(exec["execs"][0]["argv"][0], "/usr/lib/gcc/x86_64-linux-gnu/12/cc1");
  EXPECT_TRUE(exec["execs"][0]["argv_truncated"].get<bool>());
}

TEST(DropInImport, FailedExecveCallsAreCountedAsFailedExecs) {
  TempDir dir;
  const std::string log = dir.file("path-search.txt");
  write_file(log,
             "7 10:00:00.000000 execve(\"/usr/local/bin/foo\", [\"foo\"], 0x1 /* 1 var */) = -1 ENOENT (No such "
             "file or directory) <0.000010>\n"
             "7 10:00:00.000020 execve(\"/usr/sbin/foo\", [\"foo\"], 0x1 /* 1 var */) = -1 EACCES (Permission "
             "denied) <0.000010>\n"
             "7 10:00:00.000100 execve(\"/usr/bin/foo\", [\"foo\"], 0x1 /* 1 var */) = 0 <0.000100>\n"
             "7 10:00:00.000500 +++ exited with 0 +++\n");
  json exec = json::parse(run_proctrace({"exec", "--json", log}).out);
  EXPECT_EQ(exec["failed_execs"], 2);
  ASSERT_EQ(exec["execs"].size(), 1u);
  auto tree = run_proctrace({"tree", log});
  EXPECT_NE(tree.out.find("foo (2 failed exec)"), std::string::npos) << tree.out;
}

}  // namespace
}  // namespace proctrace::testing
