// Whole-log behaviour on small inline logs: joining call halves in any
// interleaving, lifecycle rebuilding (threads, pid reuse, thread execve),
// timestamps, pid resolution on stderr logs, bad input.
#include <gtest/gtest.h>

#include "import/strace_test_helpers.h"
#include "load/trace.h"

namespace proctrace::testing {
namespace {

std::vector<const SyscallRecord*> records(const Imported& r) {
  std::vector<const SyscallRecord*> out;
  for (auto& rec : *r.table) out.push_back(&rec);
  return out;
}

std::uint64_t calls(const Imported& r, const std::string& name) {
  auto id = r.table->find_name(name);
  return id ? r.table->counts()[*id].calls : 0;
}

std::string kinds(const Imported& r) {
  std::string out;
  for (auto& e : r.events) {
    if (!out.empty()) out += ' ';
    out += std::string(event_kind_name(e.kind)) + ":" + std::to_string(e.subject_pid());
  }
  return out;
}

TEST(StraceImport, JoinsInterleavedHalves) {
  auto r = import_text(
      "10311 12:00:00.000001 rt_sigprocmask(SIG_SETMASK, [],  <unfinished ...>\n"
      "10312 12:00:00.000002 getpid( <unfinished ...>\n"
      "10311 12:00:00.000003 <... rt_sigprocmask resumed>NULL, 8) = 0 <0.000002>\n"
      "10312 12:00:00.000004 <... getpid resumed>)             = 10312 <0.000002>\n"
      "10312 12:00:00.000005 read(3</etc/hostname>, \"vm\\n\", 131072) = 3 <0.000001>\n");
  auto recs = records(*r);
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(r->name(*recs[0]), "rt_sigprocmask");
  EXPECT_EQ(recs[0]->args(), "SIG_SETMASK, [], NULL, 8");
  EXPECT_TRUE(recs[0]->has(SyscallRecord::kJoined));
  EXPECT_EQ(recs[0]->start, 12 * 3600 * 1'000'000'000ULL + 1000);
  EXPECT_EQ(recs[0]->duration, 2000u);
  EXPECT_EQ(recs[1]->tid, 10312);
  EXPECT_EQ(recs[1]->ret, 10312);
  EXPECT_EQ(recs[1]->args(), "");
  EXPECT_EQ(recs[2]->fd_path(), "/etc/hostname");
  EXPECT_EQ(r->diag.errors(), 0u);
}

TEST(StraceImport, FdPathsFromReturnValueOrFirstArgument) {
  auto r = import_text(
      "1 openat(AT_FDCWD</tmp>, \"/etc/ld.so.cache\", O_RDONLY) = 3</etc/ld.so.cache>\n"
      "1 openat(AT_FDCWD</tmp>, \"/etc/passwd\",  <unfinished ...>\n"
      "2 close(4</x>) = 0\n"
      "1 <... openat resumed>O_RDONLY) = 5</etc/passwd>\n"
      "1 execve(\"/bin/true\", [\"true\"], 0x1 /* 1 vars */ <unfinished ...>\n"
      "1 <... execve resumed>) = 0\n"
      "1 getpid( <unfinished ...>\n"
      "1 <... getpid resumed>) = 1<comm>\n");
  auto recs = records(*r);
  ASSERT_EQ(recs.size(), 5u);
  EXPECT_EQ(recs[0]->fd_path(), "/etc/ld.so.cache");
  EXPECT_EQ(recs[0]->args(), "AT_FDCWD</tmp>, \"/etc/ld.so.cache\", O_RDONLY");
  EXPECT_EQ(recs[1]->args(), "AT_FDCWD</tmp>, \"/etc/passwd\", O_RDONLY");
  EXPECT_EQ(recs[1]->fd_path(), "/etc/passwd");
  EXPECT_EQ(recs[2]->fd_path(), "/x");
  EXPECT_EQ(recs[3]->args(), "\"/bin/true\", [\"true\"], 0x1 /* 1 vars */");
  EXPECT_EQ(recs[3]->fd_path(), "");
  EXPECT_EQ(recs[4]->args(), "");
  EXPECT_EQ(recs[4]->fd_path(), "comm");
}

TEST(StraceImport, CallsThatNeverReturnAreNotCounted) {
  auto r = import_text(
      "1 12:00:00.000001 read(0,  <unfinished ...>\n"
      "2 12:00:00.000002 kill(1, SIGKILL) = 0\n"
      "1 12:00:00.000003 <... read resumed> <unfinished ...>) = ?\n"
      "1 12:00:00.000004 +++ killed by SIGKILL +++\n"
      "2 12:00:00.000005 nanosleep({tv_sec=1, tv_nsec=0} <unfinished ...>) = ?\n"
      "2 12:00:00.000006 wait4(-1, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], 0, NULL) = 1\n"
      "2 12:00:00.000007 rt_sigsuspend([], 8) = ? ERESTARTNOHAND (To be restarted if no handler)\n"
      "2 12:00:00.000008 exit_group(0)                     = ?\n"
      "2 12:00:00.000009 +++ exited with 0 +++\n");
  EXPECT_EQ(calls(*r, "read"), 0u);
  EXPECT_EQ(calls(*r, "nanosleep"), 0u);
  EXPECT_EQ(calls(*r, "exit_group"), 0u);
  EXPECT_EQ(calls(*r, "kill"), 1u);
  auto id = r->table->find_name("rt_sigsuspend").value();
  EXPECT_EQ(r->table->counts()[id].calls, 1u);
  EXPECT_EQ(r->table->counts()[id].errors, 1u);  // ERESTART* count as errors, as strace counts them
  auto recs = records(*r);
  ASSERT_EQ(recs.size(), 6u);
  EXPECT_TRUE(recs[0]->has(SyscallRecord::kNeverReturned));
  EXPECT_EQ(r->tree().size(), 2u);
  EXPECT_EQ(r->tree()[r->tree().roots()[0]].exit.signal, 9);
}

TEST(StraceImport, ResumedWithoutUnfinishedAndLogEndingMidCall) {
  auto r = import_text(
      "5 <... restart_syscall resumed>) = 0\n"  // attached mid-call
      "5 clone(child_stack=NULL, flags=SIGCHLD) = 6\n"
      "6 <... clone resumed>) = 0\n"
      "5 wait4(-1,  <unfinished ...>\n");  // log ends
  auto recs = records(*r);
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_TRUE(recs[0]->has(SyscallRecord::kNoEntry));
  EXPECT_EQ(r->name(*recs[2]), "clone");
  EXPECT_TRUE(recs[2]->has(SyscallRecord::kNoEntry));
  EXPECT_EQ(recs[2]->ret, 0);
  EXPECT_TRUE(recs[3]->has(SyscallRecord::kNeverReturned));
  EXPECT_EQ(calls(*r, "clone"), 2u);
  EXPECT_EQ(calls(*r, "wait4"), 0u);
  EXPECT_EQ(kinds(*r), "Attached:5 Fork:6");  // 5 was running before the log; the child's "= 0" is no fork
}

TEST(StraceImport, StatusLogsFinishCallsOnBareLinesAndPrintInExitOrder) {
  // --status=!unfinished: each call printed whole at its end, with its entry
  // time; a signal cut one call, finished on a bare line.
  auto r = import_text(
      "11301 1700000000.000500 exit_group(0) = ?\n"
      "11302 1700000000.000300 execve(\"/bin/true\", [\"true\"], 0x1 /* 1 vars */) = 0 <0.0001>\n"
      "11301 1700000000.000100 clone(child_stack=NULL, flags=SIGCHLD) = 11302 <0.0005>\n"
      "11301 1700000000.000600 rt_sigprocmask(SIG_BLOCK, NULL,  <unfinished ...>\n"
      "[], 8)                                  = 0 <0.000022>\n"
      "11302 1700000000.000700 +++ exited with 0 +++\n"
      "11301 1700000000.000800 +++ exited with 0 +++\n");
  EXPECT_EQ(r->diag.errors(), 0u);
  EXPECT_EQ(kinds(*r), "Attached:11301 Fork:11302 Exec:11302 Exit:11302 Exit:11301");
  EXPECT_EQ(calls(*r, "rt_sigprocmask"), 1u);
  auto recs = records(*r);
  EXPECT_EQ(recs[3]->args(), "SIG_BLOCK, NULL, [], 8");
  // Log order is kept in the table; order_by_start sorts.
  auto order = r->table->order_by_start();
  EXPECT_EQ(r->name(r->table->at(order[0])), "clone");
}

TEST(StraceImport, CallWhoseEndWasNeverPrintedStillCounts) {
  auto r = import_text(
      "7 1.000001 mprotect(0x7eff40005000, 81920, PROT_READ <unfinished ...>\n"
      "7 1.000002 --- SIGCHLD {si_signo=SIGCHLD} ---\n"
      "7 1.000003 close(3) = 0\n");
  EXPECT_EQ(calls(*r, "mprotect"), 1u);
  auto recs = records(*r);
  EXPECT_TRUE(recs[0]->has(SyscallRecord::kNoExit));
  EXPECT_FALSE(recs[0]->has(SyscallRecord::kNeverReturned));
}

TEST(StraceImport, ThreadsAreNotProcesses) {
  auto r = import_text(
      "100 1.0 execve(\"/usr/bin/python3\", [\"python3\"], 0x1 /* 1 vars */) = 0\n"
      "100 1.1 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|"
      "CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x1, parent_tid=0x1, exit_signal=0, "
      "stack=0x1, stack_size=0x7fff80, tls=0x1} <unfinished ...>\n"
      "101 1.2 gettid() = 101\n"
      "100 1.3 <... clone3 resumed> => {parent_tid=[101]}, 88) = 101\n"
      "101 1.4 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, "
      "child_tidptr=0x1) = 102\n"
      "101 1.5 exit(0) = ?\n"
      "101 1.6 +++ exited with 0 +++\n"
      "102 1.7 exit_group(3) = ?\n"
      "102 1.8 +++ exited with 3 +++\n"
      "100 1.9 exit_group(0) = ?\n"
      "100 2.0 +++ exited with 0 +++\n");
  EXPECT_EQ(kinds(*r), "Exec:100 Fork:102 Exit:102 Exit:100");
  ASSERT_EQ(r->tree().size(), 2u);
  const Process& main = r->root();
  EXPECT_EQ(main.threads, std::vector<Pid>{101});
  EXPECT_EQ(r->events[1].pid, 100) << "a thread's fork belongs to its process";
  EXPECT_EQ(main.exit.code, 0);
  for (auto& rec : *r->table)
    if (rec.tid == 101) {
      EXPECT_EQ(rec.tgid, 100);
      EXPECT_EQ(rec.process, main.index);
    }
}

TEST(StraceImport, ThreadExecveSupersedesTheLeader) {
  // A non-leader thread execs: strace reports the leader as superseded and
  // finishes the execve under the leader's pid.
  auto r = import_text(
      "11829 1.0 execve(\"./tx\", [\"./tx\"], 0x1 /* 1 vars */) = 0\n"
      "11829 1.1 clone3({flags=CLONE_VM|CLONE_THREAD, child_tid=0x1}, 88) = 11832\n"
      "11829 1.2 pause( <unfinished ...>\n"
      "11832 1.3 execve(\"/bin/true\", [\"true\"], 0x1 /* 1 vars */ <unfinished ...>\n"
      "11829 1.4 <... pause resumed>) = ?\n"
      "11829 1.5 +++ superseded by execve in pid 11832 +++\n"
      "11829 1.6 <... execve resumed>) = 0 <0.000384>\n"
      "11829 1.7 exit_group(0) = ?\n"
      "11829 1.8 +++ exited with 0 +++\n");
  EXPECT_EQ(kinds(*r), "Exec:11829 Exec:11829 Exit:11829");
  ASSERT_EQ(r->tree().size(), 1u);
  ASSERT_TRUE(r->root().command());
  EXPECT_EQ(*r->root().command(), std::vector<std::string>{"true"});
  EXPECT_EQ(calls(*r, "execve"), 2u);
  EXPECT_EQ(calls(*r, "pause"), 0u);
  // The same, with the execve line cut by "<pid changed to ...>".
  auto r2 = import_text(
      "11829 1.0 execve(\"./tx\", [\"./tx\"], 0x1 /* 1 vars */) = 0\n"
      "11829 1.1 clone3({flags=CLONE_VM|CLONE_THREAD, child_tid=0x1}, 88) = 11832\n"
      "11832 1.3 execve(\"/bin/true\", [\"true\"], 0x1 /* 1 vars */ <pid changed to 11829 ...>\n"
      "11829 1.5 +++ superseded by execve in pid 11832 +++\n"
      "11829 1.6 <... execve resumed>) = 0\n"
      "11829 1.8 +++ exited with 0 +++\n");
  EXPECT_EQ(kinds(*r2), "Exec:11829 Exec:11829 Exit:11829");
  EXPECT_EQ(calls(*r2, "execve"), 2u);
}

TEST(StraceImport, ReusedPidIsANewProcess) {
  auto r = import_text(
      "1 1.0 clone(child_stack=NULL, flags=SIGCHLD) = 2\n"
      "2 1.1 execve(\"/bin/a\", [\"a\"], 0x1 /* 1 vars */) = 0\n"
      "2 1.2 +++ exited with 0 +++\n"
      "1 1.3 vfork() = 2\n"
      "2 1.4 execve(\"/bin/b\", [\"b\"], 0x1 /* 1 vars */) = 0\n"
      "2 1.5 +++ killed by SIGSEGV (core dumped) +++\n");
  ASSERT_EQ(r->tree().size(), 3u);
  auto a = r->running("a"), b = r->running("b");
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_NE(a[0]->index, b[0]->index);
  EXPECT_EQ(a[0]->exit.code, 0);
  EXPECT_EQ(b[0]->exit.signal, 11);
  EXPECT_TRUE(b[0]->exit.core_dumped);
}

// A failed execve starts no program: it is a BadExec (the original
// proctrace's name), counted for its process; the successful one is the Exec.
TEST(StraceImport, FailedExecIsABadExecNotAnExec) {
  auto r = import_text(
      "1 1.0 execve(\"/root/.cargo/bin/ls\", [\"ls\"], 0x1 /* 1 vars */) = -1 ENOENT (No such file or directory)\n"
      "1 1.1 execve(\"/usr/bin/ls\", [\"ls\"], 0x1 /* 1 vars */) = 0\n");
  // The log starts inside process 1 (no exec of its own first): attached.
  EXPECT_EQ(kinds(*r), "Attached:1 BadExec:1 Exec:1");
  EXPECT_EQ(r->events[1].kind, EventKind::BadExec);
  EXPECT_EQ(r->events[1].filename, "/root/.cargo/bin/ls");
  EXPECT_EQ(r->events[1].exec_errno, 2);  // ENOENT, Linux's number whatever the host
  EXPECT_EQ(r->events[2].filename, "/usr/bin/ls");
  EXPECT_EQ(r->root().failed_execs, 1u);
  EXPECT_EQ(r->root().segments.size(), 1u);
}

TEST(StraceImport, SessionsAndProcessGroups) {
  auto r = import_text(
      "10 1.0 clone(child_stack=NULL, flags=SIGCHLD) = 11\n"
      "10 1.1 setpgid(11, 11) = 0\n"
      "11 1.2 setpgid(0, 0) = 0\n"
      "11 1.3 setsid() = -1 EPERM (Operation not permitted)\n"
      "10 1.4 clone(child_stack=NULL, flags=SIGCHLD) = 12\n"
      "12 1.5 setsid() = 12\n");
  EXPECT_EQ(kinds(*r), "Attached:10 Fork:11 SetPGID:11 SetPGID:11 Fork:12 SetSID:12");
  EXPECT_EQ(r->events[2].pgid, 11);
  const Process& p12 = r->tree()[*r->tree().live(12)];
  EXPECT_EQ(p12.sid(), 12);
  EXPECT_EQ(p12.pgid(), 12);
}

TEST(StraceImport, MidnightRollOver) {
  std::string log =
      "1 23:59:59.999000 clone(child_stack=NULL, flags=SIGCHLD) = 2\n"
      "2 00:00:00.001000 execve(\"/bin/x\", [\"x\"], 0x1 /* 1 vars */) = 0\n"
      "2 00:00:01.000000 +++ exited with 0 +++\n";
  auto r = import_text(log);
  ASSERT_EQ(r->events.size(), 4u);  // Attached:1 Fork:2 Exec:2 Exit:2
  constexpr Nanos day = 86'400'000'000'000ULL;
  EXPECT_EQ(r->events[2].timestamp, day + 1'000'000);
  EXPECT_GT(r->events[3].timestamp, r->events[2].timestamp);
  auto chunked = import_text(log, 40);  // a chunk per line
  ASSERT_EQ(chunked->events.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(chunked->events[i].timestamp, r->events[i].timestamp);
}

TEST(StraceImport, MidnightWithStatusOrderedLines) {
  // --status prints calls at their end with their entry time: around
  // midnight a line can fall back to the day before.
  std::string log =
      "1 23:59:59.998000 setsid() = 1\n"
      "1 00:00:00.002000 clone(child_stack=NULL, flags=SIGCHLD) = 2\n"
      "2 23:59:59.999000 setpgid(0, 0) = 0\n"
      "2 00:00:00.003000 execve(\"/bin/x\", [\"x\"], 0x1 /* 1 vars */) = 0\n"
      "2 00:00:01.000000 +++ exited with 0 +++\n";
  constexpr Nanos day = 86'400'000'000'000ULL;
  constexpr Nanos ms = 1'000'000;
  for (std::size_t chunk : {std::size_t{0}, std::size_t{40}}) {
    auto r = import_text(log, chunk);
    std::vector<Nanos> starts;
    for (auto& rec : *r->table) starts.push_back(rec.start);
    ASSERT_EQ(starts.size(), 4u);
    EXPECT_EQ(starts[0], day - 2 * ms);
    EXPECT_EQ(starts[1], day + 2 * ms);
    EXPECT_EQ(starts[2], day - ms) << "not a day later";
    EXPECT_EQ(starts[3], day + 3 * ms);
  }
}

TEST(StraceImport, NoTimestampsKeepOrderAndSayWhatIsLost) {
  auto r = import_text(
      "1 clone(child_stack=NULL, flags=SIGCHLD) = 2\n"
      "2 execve(\"/bin/x\", [\"x\"], 0x1 /* 1 vars */) = 0\n"
      "2 +++ exited with 1 +++\n");
  EXPECT_EQ(kinds(*r), "Attached:1 Fork:2 Exec:2 Exit:2");
  ASSERT_EQ(r->diag.warnings(), 1u);
  EXPECT_NE(r->diag.kept()[0].message.find("no timestamps"), std::string::npos);
  EXPECT_EQ(r->meta.clock, "none");
}

TEST(StraceImport, StderrLogWithoutPidsBeforeTheFirstFork) {
  // strace -f to stderr: no prefix while one process is traced; its pid
  // shows from set_tid_address, and strace's attach messages cut lines.
  auto r = import_text(
      "12:00:00.000001 execve(\"/bin/sh\", [\"sh\"], 0x1 /* 1 vars */) = 0\n"
      "12:00:00.000002 set_tid_address(0x7f) = 500\n"
      "12:00:00.000003 clone(child_stack=NULL, flags=SIGCHLDstrace: Process 501 attached\n"
      ", child_tidptr=0x1) = 501\n"
      "[pid   501] 12:00:00.000004 execve(\"/bin/ls\", [\"ls\"], 0x1 /* 1 vars */) = 0\n"
      "[pid   500] 12:00:00.000005 wait4(-1,  <unfinished ...>\n"
      "[pid   501] 12:00:00.000006 +++ exited with 0 +++\n"
      "12:00:00.000007 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 501\n"
      "12:00:00.000008 exit_group(0) = ?\n"
      "12:00:00.000009 +++ exited with 0 +++\n");
  EXPECT_EQ(r->diag.errors(), 0u);
  EXPECT_EQ(kinds(*r), "Exec:500 Fork:501 Exec:501 Exit:501 Exit:500");
  auto recs = records(*r);
  EXPECT_EQ(recs[0]->tid, 500);
  EXPECT_EQ(recs[2]->args(), "child_stack=NULL, flags=SIGCHLD, child_tidptr=0x1");
  EXPECT_EQ(recs.back()->tid, 500);
  EXPECT_EQ(calls(*r, "wait4"), 1u);
}

TEST(StraceImport, StderrRootFoundFromItsFirstPrefixedLine) {
  auto r = import_text(
      "execve(\"/bin/sh\", [\"sh\"], 0x1 /* 1 vars */) = 0\n"
      "clone(child_stack=NULL, flags=SIGCHLDstrace: Process 701 attached\n"
      " <unfinished ...>\n"
      "[pid   701] execve(\"/bin/ls\", [\"ls\"], 0x1 /* 1 vars */) = 0\n"
      "[pid   700] <... clone resumed>, child_tidptr=0x1) = 701\n"
      "[pid   701] +++ exited with 0 +++\n"
      "+++ exited with 0 +++\n");
  EXPECT_EQ(kinds(*r), "Exec:700 Fork:701 Exec:701 Exit:701 Exit:700");
}

TEST(StraceImport, BadLinesAreReportedWithFileAndLineAndSkipped) {
  TempDir dir;
  std::string path = dir.file("t.log");
  write_file(path,
             "1 1.0 close(3) = 0\n"
             "some program output\n"
             "1 1.1 openat(AT_FDCWD, \"/etc/pas\n"
             "1 1.2 close(4) = 0\n");
  auto r = import_files({path});
  EXPECT_EQ(r->table->size(), 2u);
  ASSERT_EQ(r->diag.errors(), 2u);
  EXPECT_EQ(r->diag.kept()[0].file, path);
  EXPECT_EQ(r->diag.kept()[0].line, 2u);
  EXPECT_EQ(r->diag.kept()[1].line, 3u);
  EXPECT_NE(r->diag.kept()[1].message.find("does not close"), std::string::npos);
  // The same with a chunk boundary after every line: same line numbers.
  auto c = import_files({path}, 16);
  ASSERT_EQ(c->diag.errors(), 2u);
  EXPECT_EQ(c->diag.kept()[1].line, 3u);
}

TEST(StraceImport, NothingParseableIsAnError) {
  TempDir dir;
  std::string path = dir.file("t.log");
  write_file(path, "hello\nworld\n");
  EXPECT_THROW(import_files({path}), InputError);
}

TEST(StraceImport, FfFilesWithoutTimestampsWaitForTheirFork) {
  TempDir dir;
  write_file(dir.file("t.10"),
             "execve(\"/bin/sh\", [\"sh\"], 0x1 /* 1 vars */) = 0\n"
             "clone(child_stack=NULL, flags=SIGCHLD) = 11\n"
             "wait4(-1, NULL, 0, NULL) = 11\n"
             "+++ exited with 0 +++\n");
  write_file(dir.file("t.11"),
             "execve(\"/bin/ls\", [\"ls\"], 0x1 /* 1 vars */) = 0\n"
             "+++ exited with 2 +++\n");
  auto r = import_files({dir.file("t")});
  ASSERT_EQ(r->files.size(), 2u);
  EXPECT_EQ(kinds(*r), "Exec:10 Fork:11 Exec:11 Exit:11 Exit:10");
  EXPECT_EQ(r->running("ls")[0]->exit.code, 2);
  EXPECT_EQ(r->running("ls")[0]->ppid, 10);
}

TEST(StraceImport, LoadTraceKeepsSyscallsWhenAsked) {
  TempDir dir;
  std::string path = dir.file("t.log");
  write_file(path,
             "1 1.0 execve(\"/bin/sh\", [\"sh\"], 0x1 /* 1 vars */) = 0\n"
             "1 1.1 openat(AT_FDCWD, \"/etc/passwd\", O_RDONLY) = 3</etc/passwd>\n"
             "1 1.2 +++ exited with 0 +++\n");
  Diagnostics diag(false);
  auto plain = load_trace({path}, diag);
  EXPECT_TRUE(plain->from_strace);
  EXPECT_FALSE(plain->syscalls);
  EXPECT_EQ(plain->events.size(), 2u);
  EXPECT_EQ(plain->meta.backend, "strace-import");
  EXPECT_TRUE(plain->has_stats);
  EXPECT_EQ(plain->stats.root_status, 0);
  LoadOptions options;
  options.keep_syscalls = true;
  auto full = load_trace({path}, diag, options);
  ASSERT_TRUE(full->syscalls);
  ASSERT_EQ(full->syscalls->size(), 2u);
  EXPECT_EQ(full->syscalls->at(1).fd_path(), "/etc/passwd");
  EXPECT_EQ(full->syscalls->at(1).process, full->events[0].process);
}

}  // namespace
}  // namespace proctrace::testing
