// The inherited-fd lines of the HTML report, read back from Exec lines.
#include "render/inherited_fds.h"

#include <gtest/gtest.h>

#include "render_support.h"

namespace proctrace {
namespace {

using testing::TempDir;

TEST(InheritedFds, OneLineWithAccessTargetAndWhatWasCut) {
  std::vector<OpenFd> fds(4);
  fds[0] = {0, FdKind::File, "/dev/null", 0, 0, 'r'};
  fds[1] = {1, FdKind::Pipe, "pipe:[4411]", 4411, 0, 'w'};
  fds[2] = {2, FdKind::Tty, "", 0, 0, '?'};
  fds[3] = {5, FdKind::File, "/tmp/evil\x1b[2Jname\n", 0, 0, 'u'};
  EXPECT_EQ(fd_list_text(fds, 0), "0 r /dev/null · 1 w pipe:[4411] · 2 tty · 5 u /tmp/evil\\x1b[2Jname\\n");
  EXPECT_EQ(fd_list_text({fds[0]}, 300), "0 r /dev/null · 300 more not recorded");
  EXPECT_EQ(fd_list_text({}, 0), "none");
}

TEST(InheritedFds, FoundByProcessAndExecTimeOnlyWhereRecorded) {
  TempDir dir;
  testing::write_file(dir.file("in.jsonl"),
      R"({"Exec":{"timestamp":1,"pid":10,"ppid":1,"pgid":10,"cmdline":["sh"],"fds":[{"fd":0,"kind":"pipe","target":"pipe:[7]","inode":7,"access":"r"}]}})" "\n"
      R"({"Fork":{"timestamp":2,"parent_pid":10,"child_pid":11,"parent_pgid":10}})" "\n"
      R"({"Exec":{"timestamp":3,"pid":11,"ppid":10,"pgid":10,"cmdline":["ls"]}})" "\n"
      R"({"Exec":{"timestamp":4,"pid":10,"ppid":1,"pgid":10,"cmdline":["cat"],"fds":[]}})" "\n");
  Diagnostics diag(false);
  auto trace = load_trace({dir.file("in.jsonl")}, diag);
  InheritedFds fds(*trace);
  ASSERT_FALSE(fds.empty());
  const ProcessIndex sh = 0, ls = 1;
  EXPECT_EQ(fds.text(sh, 1), "0 r pipe:[7]");
  EXPECT_EQ(fds.text(sh, 4), "none");  // recorded: it inherited nothing
  EXPECT_EQ(fds.text(ls, 3), "");      // not recorded
  EXPECT_EQ(fds.text(sh, 2), "");      // no exec then
}

TEST(InheritedFds, ARecordingWithoutFdTablesHasNone) {
  TempDir dir;
  testing::write_file(dir.file("in.jsonl"),
      R"({"Exec":{"timestamp":1,"pid":10,"ppid":1,"pgid":10,"cmdline":["sh","-c","echo \"fds\""]}})" "\n");
  Diagnostics diag(false);
  auto trace = load_trace({dir.file("in.jsonl")}, diag);
  InheritedFds fds(*trace);
  EXPECT_EQ(fds.text(0, 1), "");
}

// An strace -yy log (real strace 6.1: sh -c 'sleep 3 & echo done' | cat):
// the fds each execve kept, replayed from the log, read the same way.
TEST(InheritedFds, ReplayedFromAnStraceLog) {
  Diagnostics diag(false);
  LoadOptions options;
  options.exec_fds = true;
  auto trace = load_trace({testing::fixture("why/held_stdout.log")}, diag, options);
  ASSERT_TRUE(trace->exec_fds);
  InheritedFds fds(*trace);
  std::string sleep_fds;
  for (const Process& p : trace->tree.processes())
    for (const ExecSegment& s : p.segments)
      if (!s.inherited && !s.argv.empty() && s.argv.front() == "sleep") sleep_fds = fds.text(p.index, s.start);
  // sh gave its background job /dev/null as stdin (openat, then dup2 to 0);
  // sh's write(1<pipe:[N]>) named the pipe sleep inherited as its stdout;
  // stderr came from before the log and no line names it.
  EXPECT_EQ(sleep_fds.rfind("0 r /dev/null · 1 pipe:[", 0), 0u) << sleep_fds;
  EXPECT_TRUE(sleep_fds.ends_with("] · 2 ?")) << sleep_fds;

  auto without = load_trace({testing::fixture("why/held_stdout.log")}, diag);
  EXPECT_FALSE(without->exec_fds);
  EXPECT_TRUE(InheritedFds(*without).empty());
}

}  // namespace
}  // namespace proctrace
