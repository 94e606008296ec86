// The /proc snapshot on real processes: a child blocked reading a pipe whose
// write end only this test holds, a process that is gone, a zombie.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "record/proc_snapshot.h"

namespace proctrace {
namespace {

// A child that blocks in read() on a pipe; the test keeps the write end.
struct BlockedReader {
  pid_t pid = -1;
  int write_fd = -1;
  BlockedReader() {
    int fds[2];
    EXPECT_EQ(pipe2(fds, O_CLOEXEC), 0);
    pid = fork();
    if (pid == 0) {
      ::close(fds[1]);
      char c;
      _exit(static_cast<int>(::read(fds[0], &c, 1)));
    }
    ::close(fds[0]);
    write_fd = fds[1];
    // Wait until it sleeps in read.
    for (int i = 0; i < 200; ++i) {
      SnapshotProcess p;
      if (read_snapshot_process(pid, p, 64) && p.state == 'S' && p.syscall && p.syscall->name == "read") break;
      usleep(5000);
    }
  }
  ~BlockedReader() {
    ::close(write_fd);
    ::kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
};

TEST(ProcSnapshot, BlockedReaderAndTheOutsideWriter) {
  BlockedReader child;
  ProcSnapshot snap = take_proc_snapshot({child.pid}, child.pid, "timeout", {}, /*exclude=*/0);
  const SnapshotProcess* p = snap.find(child.pid);
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->in_subtree);
  EXPECT_EQ(p->state, 'S');
  EXPECT_EQ(p->ppid, getpid());
  ASSERT_TRUE(p->syscall);
  EXPECT_EQ(p->syscall->name, "read");
  ASSERT_EQ(p->syscall->args.size(), 6u);
  const SnapshotFd* fd = p->find_fd(static_cast<int>(p->syscall->args[0]));
  ASSERT_NE(fd, nullptr);
  EXPECT_EQ(fd->kind, FdKind::Pipe);
  EXPECT_EQ(fd->access, 'r');
  EXPECT_NE(fd->inode, 0u);
  EXPECT_EQ(fd->target, "pipe:[" + std::to_string(fd->inode) + "]");
  EXPECT_GT(p->start_timestamp, 0u);

  // This test process holds the write end: listed as an outside holder.
  // Only fds the child shares are listed (under ctest that includes the
  // stdio pipes the child inherited from us).
  const SnapshotProcess* me = snap.find(getpid());
  ASSERT_NE(me, nullptr);
  EXPECT_FALSE(me->in_subtree);
  const SnapshotFd* writer = me->find_fd(child.write_fd);
  ASSERT_NE(writer, nullptr);
  EXPECT_TRUE(writer->same_object(*fd));
  EXPECT_EQ(writer->access, 'w');
  for (const SnapshotFd& mine : me->fds)
    EXPECT_TRUE(std::any_of(p->fds.begin(), p->fds.end(), [&](const SnapshotFd& theirs) {
      return theirs.same_object(mine);
    })) << "fd " << mine.fd << " (" << mine.target << ") is not shared with the subtree";
  EXPECT_GT(snap.processes_scanned, 0u);
  EXPECT_FALSE(snap.truncated);
}

TEST(ProcSnapshot, ExcludedProcessIsNeverAHolder) {
  BlockedReader child;
  ProcSnapshot snap = take_proc_snapshot({child.pid}, child.pid, "timeout", {}, getpid());
  EXPECT_EQ(snap.find(getpid()), nullptr);
  EXPECT_NE(snap.find(child.pid), nullptr);
}

TEST(ProcSnapshot, GoneProcessesAreLeftOut) {
  pid_t pid = fork();
  if (pid == 0) _exit(0);
  waitpid(pid, nullptr, 0);  // reaped: its pid is free
  ProcSnapshot snap = take_proc_snapshot({pid}, pid, "root-exited", {}, getpid());
  EXPECT_EQ(snap.find(pid), nullptr);
  EXPECT_TRUE(snap.processes.empty());
}

TEST(ProcSnapshot, ZombieHasStateZAndNoFds) {
  pid_t pid = fork();
  if (pid == 0) _exit(3);
  SnapshotProcess p;
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(read_snapshot_process(pid, p, 64));
    if (p.state == 'Z') break;
    usleep(5000);
  }
  EXPECT_EQ(p.state, 'Z');
  EXPECT_TRUE(p.fds.empty());
  waitpid(pid, nullptr, 0);
}

TEST(ProcSnapshot, FdsPerProcessAreBounded) {
  BlockedReader child;
  SnapshotProcess p;
  ASSERT_TRUE(read_snapshot_process(getpid(), p, 2));
  EXPECT_EQ(p.fds.size(), 2u);
  EXPECT_TRUE(p.fds_truncated);
}

TEST(ProcSnapshot, OwnStdioIsDescribed) {
  auto stdio = read_own_stdio();
  EXPECT_FALSE(stdio.empty());
  for (auto& f : stdio) EXPECT_LE(f.fd, 2);
}

}  // namespace
}  // namespace proctrace
