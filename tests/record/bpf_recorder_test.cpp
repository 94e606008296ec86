// The eBPF recorder end to end: real commands recorded through the real
// proctrace binary and the real BPF program (as root; skipped elsewhere).
// Trees are compared exactly; /bin/sh is dash, as on Debian.
#include <gtest/gtest.h>

#include <algorithm>

#include "record/bpf_recording.h"

namespace proctrace::testing {
namespace {

TEST(BpfRecorder, ShellScriptForkingSubshellsWithKnownExitCodes) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  auto r = record_command({"sh", "-c", "(exit 3); (sh -c 'exit 5'); (true); exit 7"});
  EXPECT_EQ(r.run.exit_code, 7) << r.run.err;
  EXPECT_EQ(describe_tree(*r.trace),
            "sh -c (exit 3); (sh -c 'exit 5'); (true); exit 7 : exit 7\n"
            "  (fork) : exit 3\n"
            "  (fork) => sh -c exit 5 : exit 5\n"
            "  (fork) : exit 0\n");
  ASSERT_TRUE(r.trace->has_meta);
  EXPECT_EQ(r.trace->meta.backend, "bpf");
  EXPECT_EQ(r.trace->meta.clock, "CLOCK_BOOTTIME");
  ASSERT_TRUE(r.trace->has_stats);
  EXPECT_EQ(r.trace->stats.events.at("Fork"), 3u);
  EXPECT_EQ(r.trace->stats.events.at("Exec"), 2u);
  EXPECT_EQ(r.trace->stats.events.at("Exit"), 4u);
  EXPECT_EQ(r.trace->stats.total_lost(), 0u);
  EXPECT_EQ(r.trace->stats.root_status, 7);
  EXPECT_TRUE(r.trace->stats.alive_at_end.empty());
}

TEST(BpfRecorder, Pipeline) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  auto r = record_command({"sh", "-c", "echo hello | tr a-z A-Z | wc -c"});
  EXPECT_EQ(r.run.exit_code, 0) << r.run.err;
  EXPECT_EQ(r.run.out, "6\n");  // the target keeps proctrace's stdout
  EXPECT_EQ(describe_tree(*r.trace),
            "sh -c echo hello | tr a-z A-Z | wc -c : exit 0\n"
            "  (fork) : exit 0\n"
            "  (fork) => tr a-z A-Z : exit 0\n"
            "  (fork) => wc -c : exit 0\n");
}

TEST(BpfRecorder, ProcessKilledBySigkill) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  auto r = record_command({"sh", "-c", "sh -c 'kill -9 $$'; exit 1"});
  EXPECT_EQ(r.run.exit_code, 1);
  EXPECT_EQ(describe_tree(*r.trace),
            "sh -c sh -c 'kill -9 $$'; exit 1 : exit 1\n"
            "  (fork) => sh -c kill -9 $$ : signal 9\n");
}

TEST(BpfRecorder, ExitsWithTheStatusOfAKilledRoot) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  auto r = record_command({"sh", "-c", "kill -TERM $$"});
  EXPECT_EQ(r.run.exit_code, 128 + 15);
  EXPECT_EQ(describe_tree(*r.trace), "sh -c kill -TERM $$ : signal 15\n");
  EXPECT_EQ(r.trace->stats.root_status, 143);
}

TEST(BpfRecorder, CommandThatCannotRun) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  auto r = record_command({"/nonexistent/program"});
  EXPECT_EQ(r.run.exit_code, 127);
  EXPECT_NE(r.run.err.find("cannot run '/nonexistent/program'"), std::string::npos) << r.run.err;
  ASSERT_TRUE(r.trace->has_stats);
  EXPECT_EQ(r.trace->stats.events.at("Exit"), 1u);
  EXPECT_EQ(r.trace->stats.events.at("Exec"), 0u);
}

TEST(BpfRecorder, Setsid) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  auto r = record_command({"sh", "-c", "setsid sh -c 'exit 4'; true"});
  EXPECT_EQ(describe_tree(*r.trace),
            "sh -c setsid sh -c 'exit 4'; true : exit 0\n"
            "  (fork) => setsid sh -c exit 4 => sh -c exit 4 : exit 4\n");
  auto setsids = events_of(*r.trace, EventKind::SetSid);
  ASSERT_EQ(setsids.size(), 1u);
  const Process& child = (*r.trace).tree[(*r.trace).tree[r.trace->tree.roots()[0]].children[0]];
  EXPECT_EQ(setsids[0].pid, child.pid);
  EXPECT_EQ(setsids[0].sid, child.pid);
  EXPECT_EQ(setsids[0].pgid, child.pid);
  EXPECT_EQ(child.sid(), child.pid);
  // The Exec after setsid reports the new session.
  auto execs = events_of(*r.trace, EventKind::Exec);
  ASSERT_EQ(execs.size(), 3u);
  EXPECT_EQ(execs[2].sid, child.pid);
}

TEST(BpfRecorder, JobControlPutsBackgroundJobsInTheirOwnGroups) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  auto r = record_command({"bash", "-c", "set -m; sleep 0.05 & (exit 3) & wait"});
  EXPECT_EQ(describe_tree(*r.trace),
            "bash -c set -m; sleep 0.05 & (exit 3) & wait : exit 0\n"
            "  (fork) => sleep 0.05 : exit 0\n"
            "  (fork) : exit 3\n");
  const ProcessTree& tree = r.trace->tree;
  const Process& shell = tree[tree.roots()[0]];
  auto setpgids = events_of(*r.trace, EventKind::SetPgid);
  ASSERT_FALSE(setpgids.empty());
  for (ProcessIndex c : shell.children) {
    const Process& job = tree[c];
    EXPECT_EQ(job.pgid(), job.pid) << "job " << job.pid << " leads its own group";
    EXPECT_NE(job.pgid(), shell.pgid());
    // bash calls setpgid in both parent and child (whichever runs first wins).
    EXPECT_TRUE(std::any_of(setpgids.begin(), setpgids.end(),
                            [&](const Event& e) { return e.pid == job.pid && e.pgid == job.pid; }));
  }
}

TEST(BpfRecorder, ArgvIsRecordedExactly) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  std::vector<std::string> argv{"/bin/true",
                                "two words",
                                "quotes \" and '",
                                "colon:semi;hash#",
                                "line\nbreak",
                                "",
                                "é ü 日本",
                                "https://example.com/a:b#c",
                                std::string(100 * 1024, 'x')};
  auto r = record_command(argv);
  EXPECT_EQ(r.run.exit_code, 0) << r.run.err;
  auto execs = events_of(*r.trace, EventKind::Exec);
  ASSERT_EQ(execs.size(), 1u);
  EXPECT_EQ(execs[0].cmdline, argv);
  EXPECT_FALSE(execs[0].truncated);
  EXPECT_EQ(execs[0].filename, "/bin/true");
  EXPECT_EQ(r.trace->stats.truncated_argv, 0u);
}

TEST(BpfRecorder, ArgvBeyondTheCapIsMarkedTruncated) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  auto r = record_command({"/bin/true", "short", std::string(5000, 'y')}, {"--argv-cap", "1024"});
  auto execs = events_of(*r.trace, EventKind::Exec);
  ASSERT_EQ(execs.size(), 1u);
  EXPECT_TRUE(execs[0].truncated);
  ASSERT_EQ(execs[0].cmdline.size(), 3u);
  EXPECT_EQ(execs[0].cmdline[1], "short");
  // 1024 bytes of argv: "/bin/true\0short\0" then the start of the third.
  EXPECT_EQ(execs[0].cmdline[2], std::string(1024 - 16, 'y'));
  EXPECT_EQ(r.trace->stats.truncated_argv, 1u);
}

TEST(BpfRecorder, OrphanedGrandchildIsReportedAliveAtEnd) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  // The middle shell returns once the orphan runs sleep (builtins only: no
  // other processes), so that its exec is in the recording.
  const std::string middle = "sleep 2 & while read c < /proc/$!/comm && [ $c != sleep ]; do :; done";
  auto r = record_command({"sh", "-c", "sh -c '" + middle + "'; exit 0"});
  EXPECT_EQ(r.run.exit_code, 0);
  EXPECT_EQ(describe_tree(*r.trace),
            "sh -c sh -c '" + middle + "'; exit 0 : exit 0\n" +
            "  (fork) => sh -c " + middle + " : exit 0\n" +
            "    (fork) => sleep 2 : running\n");
  const ProcessTree& tree = r.trace->tree;
  const Process& sleeper = tree[tree[tree[tree.roots()[0]].children[0]].children[0]];
  EXPECT_EQ(r.trace->stats.alive_at_end, std::vector<Pid>{sleeper.pid});
}

TEST(BpfRecorder, WaitsForDescendantsWhenAsked) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  auto r = record_command({"sh", "-c", "sh -c '(sleep 0.2; exit 9) &'; exit 0"}, {"--wait-descendants", "10"});
  EXPECT_EQ(r.run.exit_code, 0);
  EXPECT_EQ(describe_tree(*r.trace),
            "sh -c sh -c '(sleep 0.2; exit 9) &'; exit 0 : exit 0\n"
            "  (fork) => sh -c (sleep 0.2; exit 9) & : exit 0\n"
            "    (fork) : exit 9\n"
            "      (fork) => sleep 0.2 : exit 0\n");
  EXPECT_TRUE(r.trace->stats.alive_at_end.empty());
  // The orphan was reparented when its parent exited, before its own exit.
  const ProcessTree& tree = r.trace->tree;
  const Process& middle = tree[tree[tree.roots()[0]].children[0]];
  const Process& orphan = tree[middle.children[0]];
  auto exits = events_of(*r.trace, EventKind::Exit);
  auto orphan_exit = std::find_if(exits.begin(), exits.end(), [&](const Event& e) { return e.pid == orphan.pid; });
  ASSERT_NE(orphan_exit, exits.end());
  EXPECT_NE(orphan_exit->ppid, middle.pid);
}

TEST(BpfRecorder, MultiThreadedProcessForkingAndExecingFromThreads) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  auto r = record_command({PROCTRACE_THREADS_HELPER, "exec"});
  EXPECT_EQ(r.run.exit_code, 6) << r.run.err;
  // Threads are not processes: one Fork (the child of a thread, attributed
  // to the process), one Exit per process, the exec from a non-main thread
  // under the process's pid.
  EXPECT_EQ(describe_tree(*r.trace), std::string(PROCTRACE_THREADS_HELPER) +
                                         " exec => sh -c exit 6 : exit 6\n"
                                         "  (fork) : exit 3\n");
  EXPECT_EQ(r.trace->stats.events.at("Fork"), 1u);
  EXPECT_EQ(r.trace->stats.events.at("Exit"), 2u);
  auto execs = events_of(*r.trace, EventKind::Exec);
  ASSERT_EQ(execs.size(), 2u);
  EXPECT_EQ(execs[0].pid, execs[1].pid);
}

TEST(BpfRecorder, ExitStatusOfAProcessWhoseLastThreadExits) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  auto r = record_command({PROCTRACE_THREADS_HELPER, "last", "9"});
  EXPECT_EQ(r.run.exit_code, 9) << r.run.err;
  EXPECT_EQ(describe_tree(*r.trace), std::string(PROCTRACE_THREADS_HELPER) + " last 9 : exit 9\n");
}

}  // namespace
}  // namespace proctrace::testing
