// Real `strace -f -p PID` logs of a multi-threaded process whose threads were
// all running before strace attached (tests/fixtures/strace/threads.*, made by
// scripts/gen-strace-thread-fixtures.sh): the log shows no clone that ties
// them together. Every view and export must show one process with its
// threads, say the grouping was inferred, and count exactly what strace -C
// counted. Inline logs check that what the log does not prove stays apart.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "import/strace_test_helpers.h"
#include "model/thread_grouping.h"

namespace proctrace::testing {
namespace {

using nlohmann::json;

// The tids of the log's trace lines, read from its text (not through the
// importer).
std::set<long> tids_in_log(const std::string &text) {
  std::set<long> tids;
  std::istringstream in(text);
  const std::regex trace_line(R"(^([0-9]+) +[0-9]{2}:[0-9]{2}:[0-9]{2}\.)");
  std::smatch m;
  for (std::string line; std::getline(in, line);)
    if (std::regex_search(line, m, trace_line)) tids.insert(std::stol(m[1]));
  return tids;
}

struct ThreadLog {
  const char *name;
  std::size_t threads;  // besides the main thread
};

class StraceThreads : public ::testing::TestWithParam<ThreadLog> {
 protected:
  void SetUp() override {
    log = unpack_strace_fixture(GetParam().name, dir);
    text = read_file(log);
    tids = tids_in_log(text);
    // The main thread is the one whose getpid() names itself.
    std::smatch m;
    ASSERT_TRUE(std::regex_search(text, m, std::regex(R"(\n([0-9]+) +[0-9:.]+ getpid\(\) += ([0-9]+))")));
    ASSERT_EQ(m[1], m[2]);
    leader = std::stol(m[1]);
    for (long t : tids)
      if (t != leader) others.push_back(t);
  }
  json view(std::vector<std::string> args) {
    args.push_back("--json");
    args.push_back(log);
    auto r = run_proctrace(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
  }
  TempDir dir;
  std::string log, text;
  std::set<long> tids;
  long leader = 0;
  std::vector<long> others;
};

TEST_P(StraceThreads, TheLogShowsEveryThreadAsAPid) {
  EXPECT_EQ(tids.size(), GetParam().threads + 1);
  // Only the thread started after the attach has its clone in the log.
  const bool late_thread = std::string(GetParam().name).find("exit") != std::string::npos;
  EXPECT_EQ(text.find("CLONE_THREAD") != std::string::npos, late_thread);
}

TEST_P(StraceThreads, OneProcessWithItsThreadsInferred) {
  auto r = import_files({log});
  EXPECT_EQ(r->diag.errors(), 0u);
  ASSERT_EQ(r->tree().size(), 1u);
  const Process &p = r->tree()[0];
  EXPECT_EQ(p.pid, leader);
  std::vector<long> threads(p.threads.begin(), p.threads.end());
  std::sort(threads.begin(), threads.end());
  EXPECT_EQ(threads, others);
  EXPECT_TRUE(InferredThreadGroups(r->meta).has(p));
  EXPECT_TRUE(p.attached);
  auto note = r->meta.extra.find("strace_threads");
  ASSERT_NE(note, r->meta.extra.end());
  EXPECT_NE(note->second.find("pid " + std::to_string(leader) + " with threads"), std::string::npos) << note->second;
  for (auto &rec : *r->table) EXPECT_EQ(rec.process, 0u) << rec.tid;
}

TEST_P(StraceThreads, CountsEqualStraceTable) {
  auto r = import_files({log});
  ASSERT_EQ(r->table->strace_summaries().size(), 1u);
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> ours, theirs;
  auto counts = r->table->counts();
  for (std::size_t id = 1; id < counts.size(); ++id)
    if (counts[id].calls)
      ours[std::string(r->table->name(static_cast<SyscallId>(id)))] = {counts[id].calls, counts[id].errors};
  for (auto &row : r->table->strace_summaries()[0]) theirs[row.name] = {row.calls, row.errors};
  EXPECT_GT(theirs.size(), 5u);
  EXPECT_EQ(ours, theirs);
  // The same in chunks: the clues of calls split across chunks still count.
  auto chunked = import_files({log}, 512);
  ASSERT_EQ(chunked->tree().size(), 1u);
  EXPECT_EQ(chunked->tree()[0].threads.size(), GetParam().threads);
}

TEST_P(StraceThreads, EveryViewShowsOneProcessAndSaysTheGroupingWasInferred) {
  const std::string label = "threads grouped by inference";
  const json summary = view({"summary"});
  ASSERT_EQ(summary["processes"].size(), 1u);
  EXPECT_EQ(summary["processes"][0]["pid"], leader);
  EXPECT_EQ(summary["processes"][0]["threads_inferred"], true);
  EXPECT_EQ(summary["totals"]["processes"], 1);
  EXPECT_NE(summary["processes"][0]["command"].get<std::string>().find(label), std::string::npos);

  const json listed = view({"list-pids"});
  ASSERT_EQ(listed["processes"].size(), 1u);
  EXPECT_EQ(listed["processes"][0]["threads_inferred"], true);

  const json pid = view({"pid", "-p", std::to_string(leader)});
  ASSERT_EQ(pid["processes"].size(), 1u);
  EXPECT_EQ(pid["processes"][0]["threads"].size(), GetParam().threads);
  EXPECT_EQ(pid["processes"][0]["threads_inferred"], true);

  const json tree = view({"tree"});
  ASSERT_EQ(tree["processes"].size(), 1u);
  EXPECT_EQ(tree["processes"][0]["threads_inferred"], true);

  for (auto args : std::vector<std::vector<std::string>>{
           {"summary", log}, {"list-pids", log}, {"pid", "-p", std::to_string(leader), log}, {"tree", log}, {"render", "-d", "tree", log}}) {
    auto r = run_proctrace(args);
    ASSERT_EQ(r.exit_code, 0) << args[0] << ": " << r.err;
    EXPECT_NE(r.out.find(label), std::string::npos) << args[0] << ":\n" << r.out;
  }
  auto rendered = run_proctrace({"render", "-d", "tree", log});
  EXPECT_EQ(std::count(rendered.out.begin(), rendered.out.end(), '\n'), 1) << rendered.out;
}

TEST_P(StraceThreads, ExportsHaveOneProcess) {
  std::string db = dir.file("t.db");
  auto r = run_proctrace({"export", "--sqlite", db, log});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto q = [&](const std::string &sql) {
    auto out = run({"sqlite3", db, sql});
    EXPECT_EQ(out.exit_code, 0) << sql << ": " << out.err;
    return out.out;
  };
  // (Exports rebuild the tree from the lifecycle events, which carry no
  // threads: the threads column is 0 for every strace import.)
  EXPECT_EQ(q("SELECT pid, threads_inferred FROM processes"), std::to_string(leader) + "|1\n");
  EXPECT_EQ(q("SELECT processes FROM recordings"), "1\n");
  EXPECT_EQ(q("SELECT count(DISTINCT pid) FROM syscalls"), "1\n");
  EXPECT_EQ(q("SELECT count(DISTINCT tid) FROM syscalls"), std::to_string(GetParam().threads + 1) + "\n");
  // Perfetto: the process track says so (protobuf keeps strings as they are).
  r = run_proctrace({"export", "--perfetto", dir.file("t.pftrace"), log});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(read_file(dir.file("t.pftrace")).find("pid " + std::to_string(leader) +
                                                  " (already running at attach) (threads grouped by inference)"),
            std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(RealLogs, StraceThreads,
                         ::testing::Values(ThreadLog{"threads.fttTyy.log.xz", 3}, ThreadLog{"threads.fttT.log.xz", 3},
                                           ThreadLog{"threads.exit.fttTyy.log.xz", 5}),
                         [](const auto &info) {
                           std::string n = info.param.name;
                           n = n.substr(0, n.find(".log"));
                           std::replace(n.begin(), n.end(), '.', '_');
                           return n;
                         });

// --- What the log does not prove stays apart (inline logs) -----------------

std::size_t processes_of(const std::string &log) { return import_text(log)->tree().size(); }

TEST(StraceThreadRules, AWakeWithOneWaiterTiesWakerAndWaiter) {
  EXPECT_EQ(processes_of("10 12:00:00.000100 futex(0x1000, FUTEX_WAIT_PRIVATE, 0, "
                         "NULL <unfinished ...>\n"
                         "11 12:00:00.000200 futex(0x1000, FUTEX_WAKE_PRIVATE, 1) = "
                         "1 <0.000010>\n"
                         "10 12:00:00.000300 <... futex resumed>) = 0 <0.000200>\n"),
            1u);
}

TEST(StraceThreadRules, AWakeWithTwoPossibleWaitersTiesNothing) {
  // Forked processes share their addresses: 12 may be another process
  // waiting on the same word.
  EXPECT_EQ(processes_of("10 12:00:00.000100 futex(0x1000, FUTEX_WAIT_PRIVATE, 0, "
                         "NULL <unfinished ...>\n"
                         "12 12:00:00.000150 futex(0x1000, FUTEX_WAIT_PRIVATE, 0, "
                         "NULL <unfinished ...>\n"
                         "11 12:00:00.000200 futex(0x1000, FUTEX_WAKE_PRIVATE, 1) = "
                         "1 <0.000010>\n"
                         "10 12:00:00.000300 <... futex resumed>) = 0 <0.000200>\n"
                         "12 12:00:00.000400 <... futex resumed>) = 0 <0.000250>\n"),
            3u);
}

TEST(StraceThreadRules, AHiddenWaitOrASharedFutexTiesNothing) {
  // restart_syscall hides its futex word: it could be the waiter woken.
  EXPECT_EQ(processes_of("13 12:00:00.000050 restart_syscall(<... resuming interrupted read "
                         "...> <unfinished ...>\n"
                         "10 12:00:00.000100 futex(0x1000, FUTEX_WAIT_PRIVATE, 0, NULL "
                         "<unfinished ...>\n"
                         "11 12:00:00.000200 futex(0x1000, FUTEX_WAKE_PRIVATE, 1) = 1 "
                         "<0.000010>\n"
                         "10 12:00:00.000300 <... futex resumed>) = 0 <0.000200>\n"
                         "13 12:00:00.000400 <... restart_syscall resumed>) = 0 <0.000350>\n"),
            3u);
  // A shared futex word may be in another process's memory.
  EXPECT_EQ(processes_of("10 12:00:00.000100 futex(0x1000, FUTEX_WAIT, 0, NULL <unfinished "
                         "...>\n"
                         "11 12:00:00.000200 futex(0x1000, FUTEX_WAKE, 1) = 1 <0.000010>\n"
                         "10 12:00:00.000300 <... futex resumed>) = 0 <0.000200>\n"),
            2u);
  // Without exact stamps (-t) the overlap is unknown.
  EXPECT_EQ(processes_of("10 12:00:00 futex(0x1000, FUTEX_WAIT_PRIVATE, 0, NULL <unfinished "
                         "...>\n"
                         "11 12:00:00 futex(0x1000, FUTEX_WAKE_PRIVATE, 1) = 1 <0.000010>\n"
                         "10 12:00:00 <... futex resumed>) = 0 <0.000200>\n"),
            2u);
}

TEST(StraceThreadRules, TwoProcessesByTheirOwnGetpidAreNeverJoined) {
  EXPECT_EQ(processes_of("10 12:00:00.000010 getpid() = 10 <0.000001>\n"
                         "11 12:00:00.000020 getpid() = 11 <0.000001>\n"
                         "10 12:00:00.000100 futex(0x1000, FUTEX_WAIT_PRIVATE, 0, "
                         "NULL <unfinished ...>\n"
                         "11 12:00:00.000200 futex(0x1000, FUTEX_WAKE_PRIVATE, 1) = "
                         "1 <0.000010>\n"
                         "10 12:00:00.000300 <... futex resumed>) = 0 <0.000200>\n"),
            2u);
}

TEST(StraceThreadRules, GetpidTgkillAndProcPathsNameTheProcess) {
  auto r = import_text(
      "11 12:00:00.000010 getpid() = 10 <0.000001>\n"
      "10 12:00:00.000020 tgkill(10, 12, SIGUSR1) = 0 <0.000001>\n"
      "10 12:00:00.000030 openat(AT_FDCWD, "
      "\"/proc/self/task/13/comm\", O_RDONLY) = 3 <0.000001>\n"
      "14 12:00:00.000040 openat(AT_FDCWD, "
      "\"/proc/10/task/14/stat\", O_RDONLY) = 3 <0.000001>\n"
      "15 12:00:00.000050 openat(AT_FDCWD, "
      "\"/proc/10/task/15/stat\", O_RDONLY) = -1 ENOENT (No such "
      "file or directory) <0.000001>\n"
      "12 12:00:00.000060 read(0, \"\", 1) = 0 <0.000001>\n"
      "13 12:00:00.000070 read(0, \"\", 1) = 0 <0.000001>\n");
  ASSERT_EQ(r->tree().size(), 2u);  // 15's open failed: no tie
  const Process &p = r->tree()[0].pid == 10 ? r->tree()[0] : r->tree()[1];
  EXPECT_EQ(p.pid, 10);
  std::vector<Pid> threads = p.threads;
  std::sort(threads.begin(), threads.end());
  EXPECT_EQ(threads, (std::vector<Pid>{11, 12, 13, 14}));
  EXPECT_NE(r->meta.extra["strace_threads"].find("getpid, tgkill"), std::string::npos)
      << r->meta.extra["strace_threads"];
}

TEST(StraceThreadRules, ExitGroupTiesOnlyWhenItIsTheOnlyOne) {
  const std::string one =
      "10 12:00:00.000100 exit_group(3) = ?\n"
      "11 12:00:00.000200 +++ exited with 3 +++\n"
      "10 12:00:00.000300 +++ exited with 3 +++\n";
  auto r = import_text(one);
  ASSERT_EQ(r->tree().size(), 1u);
  EXPECT_EQ(r->tree()[0].pid, 10);  // its exit came last: the leader
  // Two exit_groups at once: 12 may be the other's thread.
  EXPECT_EQ(processes_of("10 12:00:00.000100 exit_group(3) = ?\n"
                         "20 12:00:00.000150 exit_group(3) = ?\n"
                         "12 12:00:00.000200 +++ exited with 3 +++\n"
                         "10 12:00:00.000300 +++ exited with 3 +++\n"
                         "20 12:00:00.000300 +++ exited with 3 +++\n"),
            3u);
  // A thread that called exit() ended by itself; another code is another exit.
  EXPECT_EQ(processes_of("11 12:00:00.000050 exit(3) = ?\n"
                         "10 12:00:00.000100 exit_group(3) = ?\n"
                         "12 12:00:00.000120 +++ exited with 0 +++\n"
                         "11 12:00:00.000200 +++ exited with 3 +++\n"
                         "10 12:00:00.000300 +++ exited with 3 +++\n"),
            3u);
}

TEST(StraceThreadRules, ASingleThreadedLogHasNoNote) {
  auto r = import_text(
      "10 12:00:00.000010 getpid() = 10 <0.000001>\n"
      "10 12:00:00.000100 exit_group(0) = ?\n"
      "10 12:00:00.000200 +++ exited with 0 +++\n");
  EXPECT_EQ(r->tree().size(), 1u);
  EXPECT_FALSE(InferredThreadGroups(r->meta).has(r->tree()[0]));
  EXPECT_EQ(r->meta.extra.count("strace_threads"), 0u);
  EXPECT_EQ(r->meta.extra.count(std::string(kThreadGroupsKey)), 0u);
}

}  // namespace
}  // namespace proctrace::testing
