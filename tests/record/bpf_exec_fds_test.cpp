// The descriptors each exec'd image inherited, through the real eBPF
// recorder: kinds, access, identities, close-on-exec left out, the bound.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <string>

#include "record/bpf_recording.h"

namespace proctrace::testing {
namespace {

const OpenFd* fd_of(const Event& e, int fd) {
  for (const OpenFd& f : e.fds)
    if (f.fd == fd) return &f;
  return nullptr;
}

// A Python program that prepares descriptors, then execs /bin/true.
std::vector<std::string> python_then_true(const std::string& prepare) {
  return {"/usr/bin/python3", "-c", "import os, socket\n" + prepare + "\nos.execv('/bin/true', ['true'])"};
}

TEST(BpfExecFds, FilesAndDevicesWithTheirPathAndAccess) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  // 3 and 4 closed: whatever the test runner leaked there must not use up
  // the recorder's budget of paths before 5-7.
  auto r = record_command({"sh", "-c", "exec 3>&- 4>&- 5</etc/hostname 6>/dev/null 7<>/dev/null; exec /bin/true"});
  ASSERT_EQ(r.run.exit_code, 0) << r.run.err;
  Event e = exec_of(*r.trace, "/bin/true");
  ASSERT_TRUE(e.has_fds) << r.text;
  const OpenFd* five = fd_of(e, 5);
  ASSERT_TRUE(five) << r.text;
  EXPECT_EQ(five->kind, FdKind::File);
  EXPECT_EQ(five->target, "/etc/hostname");
  EXPECT_EQ(five->access, 'r');
  const OpenFd* six = fd_of(e, 6);
  ASSERT_TRUE(six) << r.text;
  EXPECT_EQ(six->target, "/dev/null");
  EXPECT_EQ(six->access, 'w');
  ASSERT_TRUE(fd_of(e, 7)) << r.text;
  EXPECT_EQ(fd_of(e, 7)->access, 'u');
  EXPECT_EQ(e.fds_cut, 0u);
}

TEST(BpfExecFds, BothEndsOfAPipeShareItsInode) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  auto r = record_command({"sh", "-c", "/bin/echo hi | /bin/cat >/dev/null"});
  ASSERT_EQ(r.run.exit_code, 0) << r.run.err;
  const OpenFd* writer = nullptr;
  const OpenFd* reader = nullptr;
  Event echo = exec_of(*r.trace, "/bin/echo");
  Event cat = exec_of(*r.trace, "/bin/cat");
  writer = fd_of(echo, 1);
  reader = fd_of(cat, 0);
  ASSERT_TRUE(writer && reader) << r.text;
  EXPECT_EQ(writer->kind, FdKind::Pipe);
  EXPECT_EQ(writer->access, 'w');
  EXPECT_EQ(reader->kind, FdKind::Pipe);
  EXPECT_EQ(reader->access, 'r');
  EXPECT_NE(writer->inode, 0u);
  EXPECT_EQ(writer->inode, reader->inode);
  EXPECT_EQ(writer->target, "pipe:[" + std::to_string(writer->inode) + "]");
}

TEST(BpfExecFds, CloseOnExecDescriptorsAreNotInheritedSocketsAndFifosAre) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  TempDir dir;
  std::string fifo = dir.file("f");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  struct stat st;
  ASSERT_EQ(::stat(fifo.c_str(), &st), 0);
  auto r = record_command(python_then_true(
      // Python opens descriptors close-on-exec; 20 stays so, the rest are made
      // inheritable. Descriptors the test runner leaked are closed so that the
      // fifo is among the first 8 with a path.
      "os.closerange(3, 20)\n"
      "os.dup2(os.open('/etc/hostname', os.O_RDONLY), 20, inheritable=False)\n"
      "a, b = socket.socketpair()\n"
      "os.dup2(a.fileno(), 21)\n"
      "os.dup2(os.open('" + fifo + "', os.O_RDWR), 22)"));
  ASSERT_EQ(r.run.exit_code, 0) << r.run.err;
  Event e = exec_of(*r.trace, "true");
  ASSERT_TRUE(e.has_fds) << r.text;
  EXPECT_FALSE(fd_of(e, 20)) << r.text;
  const OpenFd* sock = fd_of(e, 21);
  ASSERT_TRUE(sock) << r.text;
  EXPECT_EQ(sock->kind, FdKind::Socket);
  EXPECT_EQ(sock->target, "socket:[" + std::to_string(sock->inode) + "]");
  const OpenFd* named = fd_of(e, 22);
  ASSERT_TRUE(named) << r.text;
  EXPECT_EQ(named->kind, FdKind::Fifo);
  EXPECT_EQ(named->target, fifo);
  // The identity a /proc snapshot gives the same fifo.
  EXPECT_EQ(named->inode, st.st_ino);
  EXPECT_EQ(named->dev, st.st_dev);
}

TEST(BpfExecFds, DescriptorsAboveTheBoundAreCounted) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  auto r = record_command(python_then_true(
      "fd = os.open('/dev/null', os.O_RDONLY)\n"
      "for n in range(250, 310): os.dup2(fd, n)\n"
      "os.dup2(fd, 1000)"));
  ASSERT_EQ(r.run.exit_code, 0) << r.run.err;
  Event e = exec_of(*r.trace, "true");
  ASSERT_TRUE(e.has_fds) << r.text;
  EXPECT_TRUE(fd_of(e, 255)) << r.text;
  EXPECT_FALSE(fd_of(e, 256));
  // 256..309 and 1000.
  EXPECT_EQ(e.fds_cut, 55u) << r.text;
}

}  // namespace
}  // namespace proctrace::testing
