// The working directory at each exec of an strace import: known from a
// successful chdir/fchdir or what getcwd returned, inherited across fork,
// and absent (never guessed) before the log says anything.
#include <gtest/gtest.h>

#include "strace_test_helpers.h"

namespace proctrace {
namespace {

using testing::import_files;
using testing::import_text;
using testing::TempDir;
using testing::unpack_strace_fixture;

// argv[0] -> cwd of every Exec, in order ("-" where absent).
std::vector<std::pair<std::string, std::string>> exec_cwds(const testing::Imported& r) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Event& e : r.events)
    if (e.kind == EventKind::Exec) out.emplace_back(e.cmdline.empty() ? "" : e.cmdline[0], e.cwd.empty() ? "-" : e.cwd);
  return out;
}

TEST(StraceCwd, ARealShellChangingDirectories) {
  TempDir dir;
  auto r = import_files({unpack_strace_fixture("cwd.fttT.log.xz", dir)});
  using P = std::pair<std::string, std::string>;
  // dash resolves `cd ../lib` itself and calls chdir("/usr/lib"); the
  // subshell's `cd /` stays in the subshell; `cd nosuchdir` fails (ENOENT).
  EXPECT_EQ(exec_cwds(*r), (std::vector<P>{{"sh", "-"},
                                           {"ls", "/usr/share"},
                                           {"/bin/true", "/usr/lib"},
                                           {"env", "/"},
                                           {"true", "/"},
                                           {"/bin/true", "/usr/lib"}}));
}

TEST(StraceCwd, MakeLearnsItFromGetcwdAndItsChildrenInheritIt) {
  TempDir dir;
  const std::string log = unpack_strace_fixture("make.fttTyyy.log.xz", dir);
  // The directory, as the log's first getcwd line prints it.
  const std::string text = testing::read_file(log);
  const std::size_t at = text.find("getcwd(\"");
  ASSERT_NE(at, std::string::npos);
  const std::string cwd = text.substr(at + 8, text.find('"', at + 8) - at - 8);
  auto r = import_files({log});
  auto execs = exec_cwds(*r);
  ASSERT_GT(execs.size(), 5u);
  EXPECT_EQ(execs.front().second, "-") << "make's own exec comes before anything tells its directory";
  for (std::size_t i = 1; i < execs.size(); ++i) EXPECT_EQ(execs[i].second, cwd) << execs[i].first;
}

TEST(StraceCwd, RelativeCutAndFdChanges) {
  auto r = import_text(
      "10 1.000 execve(\"/bin/sh\", [\"sh\"], 0x1 /* 1 var */) = 0\n"
      "10 1.001 chdir(\"src\") = 0\n"                          // relative, from an unknown cwd
      "10 1.002 clone(child_stack=NULL, flags=SIGCHLD) = 11\n"
      "11 1.003 execve(\"/bin/a\", [\"a\"], 0x1 /* 1 var */) = 0\n"
      "10 1.004 getcwd(\"/home/u/src\", 4096) = 12\n"
      "10 1.005 chdir(\"./sub/../../lib/.\") = 0\n"
      "10 1.006 clone(child_stack=NULL, flags=SIGCHLD) = 12\n"
      "12 1.007 execve(\"/bin/b\", [\"b\"], 0x1 /* 1 var */) = 0\n"
      "10 1.008 chdir(\"/very/long/path/cut/by/strace\"...) = 0\n"  // -s cut it: unknown
      "10 1.009 clone(child_stack=NULL, flags=SIGCHLD) = 13\n"
      "13 1.010 execve(\"/bin/c\", [\"c\"], 0x1 /* 1 var */) = 0\n"
      "10 1.011 fchdir(3</srv/data>) = 0\n"                    // -y names the directory
      "10 1.012 clone(child_stack=NULL, flags=SIGCHLD) = 14\n"
      "14 1.013 execve(\"/bin/d\", [\"d\"], 0x1 /* 1 var */) = 0\n"
      "14 1.014 chdir(\"..\") = 0\n"
      "14 1.015 execve(\"/bin/e\", [\"e\"], 0x1 /* 1 var */) = 0\n"
      "10 1.016 getcwd( <unfinished ...>\n"
      "10 1.017 <... getcwd resumed>\"/\", 4096) = 2\n"
      "10 1.018 chdir(\"x\\0y\") = 0\n"
      "10 1.019 fchdir(3) = 0\n"                               // no -y: unknown again
      "10 1.020 execve(\"/bin/f\", [\"f\"], 0x1 /* 1 var */) = 0\n"
      "10 1.021 exit_group(0) = ?\n");
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(exec_cwds(*r), (std::vector<P>{{"sh", "-"},
                                           {"a", "-"},
                                           {"b", "/home/u/lib"},
                                           {"c", "-"},
                                           {"d", "/srv/data"},
                                           {"e", "/srv"},
                                           {"f", "-"}}));
}

TEST(StraceCwd, GetcwdOfAnUnreachableDirectoryIsNotAPath) {
  auto r = import_text(
      "10 1.000 getcwd(\"(unreachable)/tmp/x\", 4096) = 20\n"
      "10 1.001 execve(\"/bin/a\", [\"a\"], 0x1 /* 1 var */) = 0\n"
      "10 1.002 chdir(\"/\") = 0\n"
      "10 1.003 chdir(\"..\") = 0\n"
      "10 1.004 execve(\"/bin/b\", [\"b\"], 0x1 /* 1 var */) = 0\n");
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(exec_cwds(*r), (std::vector<P>{{"a", "-"}, {"b", "/"}}));
}

}  // namespace
}  // namespace proctrace
