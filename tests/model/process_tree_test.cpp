#include "model/process_tree.h"

#include <gtest/gtest.h>

namespace proctrace {
namespace {

Event fork_event(Nanos ts, Pid parent, Pid child) {
  Event e;
  e.kind = EventKind::Fork;
  e.timestamp = ts;
  e.pid = parent;
  e.child_pid = child;
  e.pgid = parent;
  return e;
}
Event exec_event(Nanos ts, Pid pid, std::vector<std::string> argv) {
  Event e;
  e.kind = EventKind::Exec;
  e.timestamp = ts;
  e.pid = pid;
  e.cmdline = std::move(argv);
  e.has_cmdline = true;
  return e;
}
Event exit_event(Nanos ts, Pid pid, int code) {
  Event e;
  e.kind = EventKind::Exit;
  e.timestamp = ts;
  e.pid = pid;
  e.exit.code = code;
  return e;
}

TEST(ProcessTree, BuildsSegmentsChildrenAndExitStatus) {
  ProcessTree t;
  t.add(exec_event(1, 10, {"sh", "-c", "x"}));
  t.add(fork_event(2, 10, 11));
  t.add(exec_event(3, 11, {"ls"}));
  t.add(exit_event(4, 11, 2));
  t.add(exit_event(5, 10, 0));
  ASSERT_EQ(t.size(), 2u);
  const Process& sh = t[0];
  const Process& ls = t[1];
  EXPECT_EQ(t.roots(), std::vector<ProcessIndex>{0});
  EXPECT_EQ(sh.children, std::vector<ProcessIndex>{1});
  EXPECT_EQ(ls.parent, 0u);
  ASSERT_EQ(ls.segments.size(), 2u);
  EXPECT_TRUE(ls.segments[0].inherited);
  EXPECT_EQ(ls.segments[0].argv[0], "sh");
  EXPECT_EQ(ls.segments[0].end, 3u);
  EXPECT_FALSE(ls.segments[1].inherited);
  EXPECT_EQ(ls.segments[1].end, 4u);
  EXPECT_EQ(ls.exit.code, 2);
  EXPECT_TRUE(ls.execed());
}

TEST(ProcessTree, ReusedPidIsANewProcess) {
  ProcessTree t;
  t.add(exec_event(1, 10, {"sh"}));
  t.add(fork_event(2, 10, 11));
  t.add(exit_event(3, 11, 0));
  t.add(fork_event(4, 10, 11));
  ASSERT_EQ(t.size(), 3u);
  EXPECT_TRUE(t[1].exited());
  EXPECT_FALSE(t[2].exited());
  EXPECT_EQ(t.live(11), 2u);
}

TEST(ProcessTree, StillRunningProcessHasOpenSegment) {
  ProcessTree t;
  t.add(exec_event(1, 10, {"sleep", "100"}));
  t.finish(50);
  EXPECT_FALSE(t[0].segments[0].end.has_value());
  EXPECT_EQ(t.last_timestamp(), 50u);
}

TEST(ProcessTree, JoinedArgsOfOriginalFilesAreSplitBackIntoArgv) {
  ProcessTree t;
  Event exec = exec_event(1, 10, {});
  exec.has_cmdline = false;
  t.add(exec);
  Event args;
  args.kind = EventKind::ExecArgs;
  args.timestamp = 2;
  args.pid = 10;
  args.cmdline = {"make  -j2 all"};
  args.has_cmdline = args.args_joined = true;
  t.add(args);
  ASSERT_EQ(t[0].segments.size(), 1u);
  EXPECT_EQ(t[0].segments[0].argv, (std::vector<std::string>{"make", "-j2", "all"}));
}

}  // namespace
}  // namespace proctrace
