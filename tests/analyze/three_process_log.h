// A small real-shaped `strace -f -tt -T` log shared by the command-line
// tests: sh (300) forks 301, which forks 302; 302 reads and writes, 301 exits
// 1, the others 0.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "test_support.h"

namespace proctrace::testing {

inline constexpr const char* kThreeProcessLog =
    "300 10:00:00.000000 execve(\"/bin/sh\", [\"sh\"], 0x1 /* 1 var */) = 0 <0.000100>\n"
    "300 10:00:00.000200 clone(child_stack=NULL, flags=SIGCHLD) = 301 <0.000050>\n"
    "301 10:00:00.000300 getpid() = 301 <0.000010>\n"
    "301 10:00:00.000350 clone(child_stack=NULL, flags=SIGCHLD) = 302 <0.000050>\n"
    "302 10:00:00.000360 read(0, \"\", 10) = 0 <0.000010>\n"
    "302 10:00:00.000365 write(1, \"ab\", 2) = 2 <0.000300>\n"
    "302 10:00:00.000370 exit_group(0) = ?\n"
    "302 10:00:00.000380 +++ exited with 0 +++\n"
    "301 10:00:00.000400 exit_group(1) = ?\n"
    "301 10:00:00.000500 +++ exited with 1 +++\n"
    "300 10:00:00.000600 wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 1}], 0, NULL) = 301 <0.000010>\n"
    "300 10:00:00.001100 exit_group(0) = ?\n"
    "300 10:00:00.001200 +++ exited with 0 +++\n";

// A test whose log_ is that log, written to a temporary trace.txt.
class ThreeProcessLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = dir_.file("trace.txt");
    write_file(log_, kThreeProcessLog);
  }
  TempDir dir_;
  std::string log_;
};

}  // namespace proctrace::testing
