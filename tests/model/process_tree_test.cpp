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
  EXPECT_EQ(ls.segment_end(0), 3u);
  EXPECT_FALSE(ls.segments[1].inherited);
  EXPECT_EQ(ls.segment_end(1), 4u);
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
  EXPECT_FALSE(t[0].segment_end(0).has_value());
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

Event original(EventKind kind, Nanos ts, Pid pid, std::string args = {}, std::string filename = {}) {
  Event e;
  e.kind = kind;
  e.timestamp = ts;
  e.pid = pid;
  if (!args.empty()) {
    e.cmdline = {std::move(args)};
    e.has_cmdline = e.args_joined = true;
  }
  e.filename = std::move(filename);
  return e;
}

// The original's later files: Exec, then the argv once or twice (from the
// call, and from the new image); the longer one is the exec's.
TEST(ProcessTree, OneExecOfAnOriginalFileTakesItsLongestArgs) {
  for (bool longer_first : {true, false}) {
    ProcessTree t;
    t.add(original(EventKind::Exec, 1, 10));
    const char* a = longer_first ? "/usr/bin/env python3 gen.py" : "./gen.py";
    const char* b = longer_first ? "./gen.py" : "/usr/bin/env python3 gen.py";
    t.add(original(EventKind::ExecArgs, 1, 10, a));
    t.add(original(EventKind::ExecArgs, 1, 10, b));
    ASSERT_EQ(t[0].segments.size(), 1u);
    EXPECT_EQ(t[0].segments[0].argv, (std::vector<std::string>{"/usr/bin/env", "python3", "gen.py"}));
  }
}

// Its last format: ExecFilename and ExecArgs at each execve's entry, then
// Exec when it succeeded or BadExec when not (a PATH search tries several).
TEST(ProcessTree, ExecFilenameAndArgsBeforeTheExecAreOneExec) {
  ProcessTree t;
  t.add(fork_event(1, 9, 10));
  t.add(original(EventKind::ExecFilename, 2, 10, {}, "./build.sh"));
  t.add(original(EventKind::ExecArgs, 2, 10, "./build.sh --release"));
  t.add(original(EventKind::Exec, 2, 10));
  for (const char* dir : {"/home/dev/bin", "/usr/local/bin"}) {
    t.add(original(EventKind::ExecFilename, 3, 10, {}, std::string(dir) + "/bash"));
    t.add(original(EventKind::ExecArgs, 3, 10, "bash ./build.sh --release"));
    t.add(original(EventKind::BadExec, 4, 10));
  }
  t.add(original(EventKind::ExecFilename, 5, 10, {}, "/usr/bin/bash"));
  t.add(original(EventKind::ExecArgs, 5, 10, "bash ./build.sh --release"));
  t.add(original(EventKind::Exec, 5, 10));
  const Process& p = t[*t.live(10)];
  ASSERT_EQ(p.segments.size(), 2u);  // the script, bash (the parent ran nothing to inherit)
  EXPECT_EQ(p.segments[0].argv, (std::vector<std::string>{"./build.sh", "--release"}));
  EXPECT_EQ(p.segments[0].filename, "./build.sh");
  EXPECT_EQ(p.segment_end(0), 5u);
  EXPECT_EQ(p.segments[1].argv, (std::vector<std::string>{"bash", "./build.sh", "--release"}));
  EXPECT_EQ(p.segments[1].filename, "/usr/bin/bash");
  EXPECT_EQ(p.segments[1].start, 5u);
  EXPECT_EQ(p.failed_execs, 2u);
}

}  // namespace
}  // namespace proctrace
