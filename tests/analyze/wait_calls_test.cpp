#include "analyze/wait_calls.h"

#include <gtest/gtest.h>

namespace proctrace {
namespace {

TEST(WaitCalls, BlockingCallsAreWaits) {
  for (auto name : {"futex", "wait4", "waitid", "poll", "ppoll", "select", "pselect6", "epoll_wait", "epoll_pwait",
                    "nanosleep", "clock_nanosleep", "rt_sigsuspend", "pause", "accept4", "restart_syscall"})
    EXPECT_EQ(wait_kind(name), WaitKind::Wait) << name;
  for (auto name : {"openat", "mmap", "write", "execve", "close", "newfstatat", "clone3", "brk"})
    EXPECT_EQ(wait_kind(name), WaitKind::Active) << name;
}

TEST(WaitCalls, ReadsWaitOnlyOnStreams) {
  WaitKind read = wait_kind("read");
  EXPECT_EQ(read, WaitKind::WaitOnStream);
  EXPECT_EQ(wait_kind("recvmsg"), WaitKind::WaitOnStream);
  EXPECT_TRUE(is_waiting(read, "pipe:[123456]"));
  EXPECT_TRUE(is_waiting(read, "TCP:[127.0.0.1:4000->127.0.0.1:5000]"));
  EXPECT_TRUE(is_waiting(read, "UNIX-STREAM:[1234->1235]"));
  EXPECT_TRUE(is_waiting(read, "anon_inode:[eventfd]"));
  EXPECT_TRUE(is_waiting(read, "/dev/pts/3"));
  EXPECT_FALSE(is_waiting(read, "/usr/lib/x86_64-linux-gnu/libc.so.6"));
  EXPECT_FALSE(is_waiting(read, "/dev/null"));
  EXPECT_FALSE(is_waiting(read, "")) << "without -y a read cannot be told apart";
  EXPECT_FALSE(is_waiting(WaitKind::Active, "pipe:[1]"));
  EXPECT_TRUE(is_waiting(WaitKind::Wait, ""));
}

}  // namespace
}  // namespace proctrace
