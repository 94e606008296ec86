// The state at the end of an strace log (import/log_end_snapshot.h and
// fd_replay.h): which fds each live process holds after forks, dups,
// closes and close-on-exec, and the bound that keeps a hostile log from
// copying fd tables without end. The real-strace cases are in
// tests/analyze/why_strace_test.cpp; these lines are written by hand to
// reach one rule each.
#include <gtest/gtest.h>

#include "import/fd_replay.h"
#include "import/log_end_snapshot.h"
#include "import/strace_test_helpers.h"

namespace proctrace::testing {
namespace {

const SnapshotProcess* find(const ProcSnapshot& snap, Pid pid) { return snap.find(pid); }

std::vector<int> fds_of(const SnapshotProcess& p) {
  std::vector<int> out;
  for (auto& f : p.fds) out.push_back(f.fd);
  return out;
}

TEST(LogEndSnapshot, ForkDupCloseAndCloseOnExecDecideWhoHoldsAPipe) {
  int n = 0;
  std::string log;
  log += line(100, ++n, R"(execve("/bin/sh", ["sh"], 0x1 /* 1 var */) = 0 <0.000001>)");
  log += line(100, ++n, "pipe2([3<pipe:[7]>, 4<pipe:[7]>], 0) = 0 <0.000001>");
  log += line(100, ++n, "pipe2([5<pipe:[8]>, 6<pipe:[8]>], O_CLOEXEC) = 0 <0.000001>");
  log += line(100, ++n, "dup2(4<pipe:[7]>, 9) = 9 <0.000001>");
  log += line(100, ++n, "clone(child_stack=NULL, flags=SIGCHLD) = 101 <0.000001>");
  log += line(100, ++n, "close(4<pipe:[7]>) = 0 <0.000001>");
  log += line(101, ++n, R"(execve("/bin/sleep", ["sleep", "9"], 0x1 /* 1 var */) = 0 <0.000001>)");
  log += line(100, ++n, "read(3<pipe:[7]>,  <unfinished ...>");
  auto imported = import_text(log);
  auto snap = strace::snapshot_at_log_end(imported->tree(), *imported->table);
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->reason, "log-ended");
  EXPECT_FALSE(snap->truncated);
  const SnapshotProcess* sh = find(*snap, 100);
  const SnapshotProcess* sleep = find(*snap, 101);
  ASSERT_TRUE(sh && sleep);
  // sh closed 4 but keeps its dup 9; the O_CLOEXEC pipe stays with sh.
  EXPECT_EQ(fds_of(*sh), (std::vector<int>{3, 5, 6, 9}));
  // sleep inherited both pipes and lost the close-on-exec one at execve.
  EXPECT_EQ(fds_of(*sleep), (std::vector<int>{3, 4, 9}));
  EXPECT_EQ(sleep->find_fd(4)->target, "pipe:[7]");
  EXPECT_EQ(sleep->find_fd(4)->access, 'w');
  ASSERT_TRUE(sh->syscall);
  EXPECT_EQ(sh->syscall->name, "read");
  EXPECT_FALSE(sleep->syscall) << "its last call returned";
}

TEST(LogEndSnapshot, ExitedProcessesAreNotInIt) {
  int n = 0;
  std::string log;
  log += line(100, ++n, R"(execve("/bin/true", ["true"], 0x1 /* 1 var */) = 0 <0.000001>)");
  log += line(100, ++n, "exit_group(0) = ?");
  log += line(100, ++n, "+++ exited with 0 +++");
  auto imported = import_text(log);
  EXPECT_FALSE(strace::snapshot_at_log_end(imported->tree(), *imported->table));
}

// 700 pipes (1,403 fds with stdio) then 400 forks that never exit would copy
// 560,000 fds: past FdReplay::kMaxLiveFds, the last forks get no table, and
// the snapshot says it is truncated rather than growing without bound.
TEST(LogEndSnapshot, ForksOfAManyFdProcessStopAtTheBound) {
  int n = 0;
  std::string log;
  log += line(100, ++n, R"(execve("/bin/sh", ["sh"], 0x1 /* 1 var */) = 0 <0.000001>)");
  for (int i = 0; i < 700; ++i) {
    int r = 3 + 2 * i, w = r + 1;
    log += line(100, ++n,
                "pipe2([" + std::to_string(r) + "<pipe:[" + std::to_string(1000 + i) + "]>, " + std::to_string(w) +
                    "<pipe:[" + std::to_string(1000 + i) + "]>], 0) = 0 <0.000001>");
  }
  for (int i = 0; i < 400; ++i)
    log += line(100, ++n, "clone(child_stack=NULL, flags=SIGCHLD) = " + std::to_string(1000 + i) + " <0.000001>");
  auto imported = import_text(log);
  auto snap = strace::snapshot_at_log_end(imported->tree(), *imported->table);
  ASSERT_TRUE(snap);
  EXPECT_TRUE(snap->truncated);
  std::size_t fds = 0, without = 0;
  for (auto& p : snap->processes) {
    fds += p.fds.size();
    without += p.fds.empty();
  }
  EXPECT_LE(fds, strace::FdReplay::kMaxLiveFds);
  EXPECT_GT(without, 0u);
  EXPECT_EQ(find(*snap, 1000)->fds.size(), 1400u) << "forks before the bound keep their pipes";

  TempDir dir;
  write_file(dir.file("forks.log"), log);
  RunResult why = run_proctrace({"why", dir.file("forks.log")});
  EXPECT_EQ(why.exit_code, 0) << why.err;
  EXPECT_NE(why.out.find("some holders may be missing"), std::string::npos) << why.out;
}

}  // namespace
}  // namespace proctrace::testing
