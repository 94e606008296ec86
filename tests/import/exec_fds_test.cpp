// The fds each execve of an strace log kept (import/exec_fds.h): close-on-exec
// ones dropped, dups and inherited ones kept, a pipe named only by a later
// line still named, fds the log never names marked unknown, and the bound.
// The real-strace case (the HTML report of a -yy log) is in
// tests/render/inherited_fds_test.cpp.
#include <gtest/gtest.h>

#include "import/exec_fds.h"
#include "import/fd_replay.h"
#include "import/strace_test_helpers.h"

namespace proctrace::testing {
namespace {

std::string described(const OpenFd& f) {
  return std::to_string(f.fd) + f.access + (f.target.empty() ? std::string(fd_kind_name(f.kind)) : f.target);
}

std::vector<std::string> described(const strace::ExecFdTable& t) {
  std::vector<std::string> out;
  for (auto& f : t.fds) out.push_back(described(f));
  return out;
}

TEST(ExecFds, WhatTheNewProgramInherited) {
  int n = 0;
  std::string log;
  log += line(100, ++n, R"(execve("/bin/sh", ["sh"], 0x1 /* 1 var */) = 0 <0.000001>)");
  log += line(100, ++n, "pipe2([3, 4], 0) = 0 <0.000001>");  // no -yy here: named later
  log += line(100, ++n, "pipe2([5<pipe:[8]>, 6<pipe:[8]>], O_CLOEXEC) = 0 <0.000001>");
  log += line(100, ++n, "dup2(4, 9) = 9 <0.000001>");
  log += line(100, ++n, "clone(child_stack=NULL, flags=SIGCHLD) = 101 <0.000001>");
  log += line(101, ++n, R"(execve("/bin/sleep", ["sleep", "9"], 0x1 /* 1 var */) = 0 <0.000001>)");
  log += line(101, ++n, R"(execve("/bin/nope", ["nope"], 0x1 /* 1 var */) = -1 ENOENT (No such file) <0.000001>)");
  log += line(100, ++n, "write(4<pipe:[7]>, \"x\", 1) = 1 <0.000001>");
  auto imported = import_text(log);
  auto tables = strace::fds_at_execs(*imported->table);
  ASSERT_EQ(tables.size(), 2u);  // the failed execve kept nothing
  EXPECT_EQ(tables[0].pid, 100);
  // sh's own stdio came from before the log: identities unknown.
  EXPECT_EQ(described(tables[0]), (std::vector<std::string>{"0??", "1??", "2??"}));
  EXPECT_EQ(tables[1].pid, 101);
  // The O_CLOEXEC pipe is gone; the write end 4 and its dup 9 are the pipe
  // a later write named.
  EXPECT_EQ(described(tables[1]), (std::vector<std::string>{"0??", "1??", "2??", "3r?", "4wpipe:[7]", "9wpipe:[7]"}));
  EXPECT_EQ(tables[1].cut, 0u);
}

// A log that opens many fds and execs many times keeps at most
// FdReplay::kMaxLiveFds in all, and counts the rest per exec.
TEST(ExecFds, KeptFdsAreBounded) {
  int n = 0;
  std::string log;
  const int open = 1000;
  for (int fd = 3; fd < 3 + open; ++fd)
    log += line(100, ++n, "openat(AT_FDCWD</tmp>, \"f\", O_RDONLY) = " + std::to_string(fd) + "</tmp/f> <0.000001>");
  const std::size_t execs = strace::FdReplay::kMaxLiveFds / (open + 3) + 3;
  for (std::size_t i = 0; i < execs; ++i)
    log += line(100, ++n, R"(execve("/bin/sh", ["sh"], 0x1 /* 1 var */) = 0 <0.000001>)");
  auto imported = import_text(log);
  auto tables = strace::fds_at_execs(*imported->table);
  ASSERT_EQ(tables.size(), execs);
  std::size_t kept = 0, cut = 0;
  for (auto& t : tables) {
    kept += t.fds.size();
    cut += t.cut;
    EXPECT_EQ(t.fds.size() + t.cut, open + 3u);
  }
  EXPECT_EQ(kept, strace::FdReplay::kMaxLiveFds);
  EXPECT_EQ(kept + cut, execs * (open + 3));
  EXPECT_EQ(tables.back().fds.size(), 0u);
}

}  // namespace
}  // namespace proctrace::testing
