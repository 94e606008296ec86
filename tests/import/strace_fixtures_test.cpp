// Real strace logs of real workloads (scripts/gen-strace-fixtures.sh), under
// every flag set people use (-o/stderr/-ff, --status, and the timestamp
// shapes -r, -r -tt, -tt without -T, -ttt): the process tree, exit statuses,
// and syscall counts equal to strace's own -C table at the end of the same log.
#include <gtest/gtest.h>

#include <map>

#include "import/strace_test_helpers.h"

namespace proctrace::testing {
namespace {

const char* const kWorkloads[] = {"make", "python", "bash", "git"};
const char* const kLogFlagSets[] = {"fttTyyy", "status", "stderr", "rT", "rttT", "tt", "ttt", "t"};

std::string fixture_name(const std::string& workload, const std::string& flags) {
  return flags == "ff" ? workload + ".ff.tar.xz" : workload + "." + flags + ".log.xz";
}

bool all_exited(const Imported& r) {
  for (auto& p : r.tree().processes())
    if (!p.exited()) return false;
  return true;
}

void check_tree(const std::string& workload, const Imported& r) {
  SCOPED_TRACE(workload);
  ASSERT_FALSE(r.tree().roots().empty());
  EXPECT_EQ(r.tree().roots().size(), 1u) << "every process descends from the traced command";
  EXPECT_TRUE(all_exited(r));
  EXPECT_TRUE(r.import.stats.alive_at_end.empty());
  const Process& root = r.root();
  if (workload == "make") {
    ASSERT_TRUE(root.command());
    EXPECT_EQ(*root.command(), (std::vector<std::string>{"make", "-s", "-j2"}));
    EXPECT_EQ(root.exit.code, 0);
    EXPECT_EQ(r.running("cc").size(), 3u);  // two compiles and the link
    // cc1's path is longer than strace's default -s 32: only the -s 1024
    // logs name it.
    if (!r.running("cc1").empty()) EXPECT_EQ(r.running("cc1").size(), 2u);
    EXPECT_EQ(r.running("as").size(), 2u);
    EXPECT_EQ(r.running("ld").size(), 1u);
    for (auto& p : r.tree().processes()) EXPECT_EQ(p.exit.code, 0) << p.pid;
  } else if (workload == "python") {
    EXPECT_EQ(root.exit.code, 0);
    EXPECT_GE(root.threads.size(), 2u) << "threading.Thread x2 are threads, not processes";
    EXPECT_EQ(r.tree().size(), 3u);
    ASSERT_EQ(r.running("sh").size(), 1u);
    EXPECT_EQ(r.running("sh")[0]->exit.code, 5);
    bool forked_child = false;
    for (auto& p : r.tree().processes())
      if (p.parent == root.index && !p.execed()) {
        forked_child = true;
        EXPECT_EQ(p.exit.code, 7);  // multiprocessing child: sys.exit(7)
      }
    EXPECT_TRUE(forked_child);
  } else if (workload == "bash") {
    EXPECT_EQ(root.exit.code, 3);
    auto sleeps = r.running("sleep");
    ASSERT_EQ(sleeps.size(), 3u);
    int killed = 0, termed = 0, ok = 0;
    for (auto* s : sleeps) {
      if (s->exit.signal == 9) ++killed;
      if (s->exit.signal == 15) ++termed;
      if (s->exit.code == 0) ++ok;
    }
    EXPECT_EQ(killed, 1);  // kill -9
    EXPECT_EQ(termed, 1);  // timeout's SIGTERM
    EXPECT_EQ(ok, 1);
    ASSERT_EQ(r.running("timeout").size(), 1u);
    EXPECT_EQ(r.running("timeout")[0]->exit.code, 124);
    // set -m: each job leads its own process group.
    for (auto* s : sleeps)
      if (s->exit.signal == 9) EXPECT_EQ(s->pgid(), s->pid);
    // setsid: a new session led by the process that called it.
    bool new_session = false;
    for (auto& p : r.tree().processes())
      if (p.sids.size() && p.sid() == p.pid) new_session = true;
    EXPECT_TRUE(new_session);
    bool exit4 = false, exit2 = false;
    for (auto& p : r.tree().processes()) {
      exit4 |= p.exit.code == 4;
      exit2 |= p.exit.code == 2 && !p.execed();  // the (exit 2) subshell
    }
    EXPECT_TRUE(exit4);
    EXPECT_TRUE(exit2);
  } else if (workload == "git") {
    EXPECT_EQ(root.exit.code, 0);
    EXPECT_GE(r.running("git").size(), 5u);  // init, config x2, add, commit
    for (auto& p : r.tree().processes()) EXPECT_EQ(p.exit.code, 0) << p.pid;
  }
}

class StraceFixture : public ::testing::TestWithParam<std::tuple<const char*, const char*>> {};

TEST_P(StraceFixture, ProcessTreeAndCountsMatchStrace) {
  auto [workload, flags] = GetParam();
  TempDir dir;
  std::string path = unpack_strace_fixture(fixture_name(workload, flags), dir);
  auto r = import_files({path});
  EXPECT_EQ(r->diag.errors(), 0u);
  check_tree(workload, *r);

  // Exact counting: our per-syscall calls and errors equal strace's -C table.
  ASSERT_EQ(r->table->strace_summaries().size(), 1u);
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> ours, theirs;
  auto counts = r->table->counts();
  for (std::size_t id = 1; id < counts.size(); ++id)
    if (counts[id].calls) ours[std::string(r->table->name(static_cast<SyscallId>(id)))] = {counts[id].calls, counts[id].errors};
  for (auto& row : r->table->strace_summaries()[0]) theirs[row.name] = {row.calls, row.errors};
  EXPECT_GT(theirs.size(), 20u);
  EXPECT_EQ(ours, theirs);
}

INSTANTIATE_TEST_SUITE_P(RealLogs, StraceFixture,
                         ::testing::Combine(::testing::ValuesIn(kWorkloads), ::testing::ValuesIn(kLogFlagSets)),
                         [](const auto& info) {
                           return std::string(std::get<0>(info.param)) + "_" + std::get<1>(info.param);
                         });

class StraceFfFixture : public ::testing::TestWithParam<const char*> {};

TEST_P(StraceFfFixture, PerPidFilesGivenByPrefix) {
  std::string workload = GetParam();
  TempDir dir;
  std::string prefix = unpack_strace_fixture(fixture_name(workload, "ff"), dir);
  auto r = import_files({prefix});
  EXPECT_GT(r->files.size(), 2u);
  EXPECT_EQ(r->diag.errors(), 0u);
  check_tree(workload, *r);
  EXPECT_TRUE(r->table->strace_summaries().empty());  // strace forbids -C with -ff
}

INSTANTIATE_TEST_SUITE_P(RealLogs, StraceFfFixture, ::testing::ValuesIn(kWorkloads));

// Parallel chunks must give exactly what one sequential pass gives, wherever
// the boundaries fall (calls split across them, midnights, orphans).
class StraceChunking : public ::testing::TestWithParam<std::tuple<const char*, const char*>> {};

TEST_P(StraceChunking, ManySmallChunksEqualOnePass) {
  auto [workload, flags] = GetParam();
  TempDir dir;
  std::string path = unpack_strace_fixture(fixture_name(workload, flags), dir);
  auto whole = import_files({path}, 0, 1);
  auto chunked = import_files({path}, 1500, 2);
  ASSERT_EQ(whole->table->size(), chunked->table->size());
  auto a = whole->table->begin();
  auto b = chunked->table->begin();
  for (std::size_t i = 0; i < whole->table->size(); ++i, ++a, ++b) {
    SCOPED_TRACE(i);
    EXPECT_EQ(a->start, b->start);
    EXPECT_EQ(a->tid, b->tid);
    EXPECT_EQ(a->tgid, b->tgid);
    EXPECT_EQ(a->process, b->process);
    EXPECT_EQ(whole->name(*a), chunked->name(*b));
    EXPECT_EQ(a->args(), b->args());
    EXPECT_EQ(a->fd_path(), b->fd_path());
    EXPECT_EQ(a->ret, b->ret);
    EXPECT_EQ(a->duration, b->duration);
    EXPECT_EQ(a->flags, b->flags);
    EXPECT_EQ(whole->table->errno_name(a->err), chunked->table->errno_name(b->err));
    if (HasFailure()) break;
  }
  ASSERT_EQ(whole->events.size(), chunked->events.size());
  for (std::size_t i = 0; i < whole->events.size(); ++i) {
    EXPECT_EQ(whole->events[i].kind, chunked->events[i].kind);
    EXPECT_EQ(whole->events[i].timestamp, chunked->events[i].timestamp);
    EXPECT_EQ(whole->events[i].subject_pid(), chunked->events[i].subject_pid());
  }
}

INSTANTIATE_TEST_SUITE_P(RealLogs, StraceChunking,
                         ::testing::Combine(::testing::ValuesIn(kWorkloads), ::testing::Values("fttTyyy", "status", "tt", "rT")),
                         [](const auto& info) {
                           return std::string(std::get<0>(info.param)) + "_" + std::get<1>(info.param);
                         });

TEST(StraceFixtureCli, RenderReadsAnStraceLog) {
  TempDir dir;
  std::string path = unpack_strace_fixture("bash.fttTyyy.log.xz", dir);
  auto r = run_proctrace({"render", "-d", "by-process", path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("timeout 0.2 sleep 5"), std::string::npos);
  EXPECT_NE(r.out.find("\"signal\":9"), std::string::npos);
}

}  // namespace
}  // namespace proctrace::testing
