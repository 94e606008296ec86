// Log shapes that used to be misread (issues 11 and 18): times of resumed
// lines, durations without -T, waits cut short, -r, attach logs.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <ctime>

#include "import/strace_test_helpers.h"

namespace proctrace::testing {
namespace {

constexpr Nanos kNoon = 12ULL * 3600 * 1'000'000'000;
constexpr Nanos kUs = 1000;

const SyscallRecord* find_call(const Imported& r, const std::string& name) {
  for (auto& rec : *r.table)
    if (r.name(rec) == name) return &rec;
  return nullptr;
}

// A resumed line is stamped when the call returns: adding its -T duration
// again put the end of the session (and of every process still running)
// one wait too late.
TEST(StraceShapes, ResumedLineTimeIsTheEndNotTheStart) {
  auto r = import_text(
      "100 12:00:00.000000 execve(\"/bin/sh\", [\"sh\"], 0x1 /* 1 vars */) = 0 <0.000100>\n"
      "100 12:00:00.000200 wait4(-1,  <unfinished ...>\n"
      "100 12:00:00.300200 <... wait4 resumed>0x7ffc, 0, NULL) = -1 ECHILD (No child processes) <0.300000>\n");
  EXPECT_EQ(r->import.stats.end_timestamp, kNoon + 300'200 * kUs);
  EXPECT_FALSE(r->root().exited());
  const SyscallRecord* wait = find_call(*r, "wait4");
  ASSERT_TRUE(wait);
  EXPECT_EQ(wait->start, kNoon + 200 * kUs);
  EXPECT_EQ(wait->duration, 300'000 * kUs);
}

// Without -T, the two halves of a split call still give its exact duration.
TEST(StraceShapes, SplitCallWithoutDashTHasDurationFromItsTimestamps) {
  auto r = import_text(
      "100 12:00:00.000000 execve(\"/bin/sh\", [\"sh\"], 0x1 /* 1 vars */) = 0\n"
      "100 12:00:00.000200 wait4(-1,  <unfinished ...>\n"
      "101 12:00:00.000250 getpid() = 101\n"
      "100 12:00:00.300200 <... wait4 resumed>0x7ffc, 0, NULL) = -1 ECHILD (No child processes)\n");
  const SyscallRecord* wait = find_call(*r, "wait4");
  ASSERT_TRUE(wait);
  EXPECT_EQ(wait->duration, 300'000 * kUs);
  EXPECT_TRUE(wait->has(SyscallRecord::kDurationFromTimestamps));
  const SyscallRecord* whole = find_call(*r, "getpid");
  ASSERT_TRUE(whole);
  EXPECT_FALSE(whole->has_duration()) << "a whole line has one timestamp: no duration without -T";
  EXPECT_NE(r->meta.extra.at("strace_durations").find("1 calls split"), std::string::npos);
}

// -t prints whole seconds: two of them are not a duration.
TEST(StraceShapes, SecondTimestampsGiveNoDuration) {
  auto r = import_text(
      "100 12:00:00 wait4(-1,  <unfinished ...>\n"
      "100 12:00:01 <... wait4 resumed>0x7ffc, 0, NULL) = -1 ECHILD (No child processes)\n");
  const SyscallRecord* wait = find_call(*r, "wait4");
  ASSERT_TRUE(wait);
  EXPECT_FALSE(wait->has_duration());
  EXPECT_EQ(r->meta.extra.at("strace_durations"), "no");
}

// A sleep killed by SIGKILL (real strace 6.1 lines, -f and without): the call
// never returned, so strace does not count it, but it waited until the kill.
TEST(StraceShapes, CallKilledInsideAWaitLastsUntilTheKill) {
  auto with_f = import_text(
      "20145 12:00:00.000000 clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=5, tv_nsec=0},  <unfinished ...>\n"
      "20146 12:00:00.000077 clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=100000000}, 0x7fff39e04a70) = 0 "
      "<0.116680>\n"
      "20145 12:00:00.121169 <... clock_nanosleep resumed> <unfinished ...>) = ?\n"
      "20145 12:00:00.121381 +++ killed by SIGKILL +++\n");
  const SyscallRecord* sleep = find_call(*with_f, "clock_nanosleep");
  ASSERT_TRUE(sleep);
  EXPECT_EQ(sleep->tid, 20145);
  EXPECT_FALSE(sleep->returned());
  EXPECT_EQ(sleep->duration, 121'169 * kUs);

  auto without_f = import_text(
      "12:00:00.000000 clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=300000000},  <unfinished ...>) = ?\n"
      "12:00:00.104866 +++ killed by SIGKILL +++\n");
  sleep = find_call(*without_f, "clock_nanosleep");
  ASSERT_TRUE(sleep);
  EXPECT_FALSE(sleep->returned());
  EXPECT_EQ(sleep->duration, 104'866 * kUs);
  EXPECT_TRUE(sleep->has(SyscallRecord::kDurationFromTimestamps));
}

// strace -r: each stamp is the time since the line before, whatever its pid
// (real strace 6.1 -f -r -T lines). Read as -ttt epoch seconds they went
// back and forth: processes started before their parents, pids looked reused.
TEST(StraceShapes, RelativeStampsAreSummed) {
  auto r = import_text(
      "4595       0.000000 execve(\"/usr/bin/sh\", [\"sh\", \"-c\", \"/bin/true; /bin/true\"], 0x1 /* 3 vars */) = 0 <0.000260>\n"
      "4595       0.000383 vfork( <unfinished ...>\n"
      "4596       0.000100 execve(\"/bin/true\", [\"/bin/true\"], 0x1 /* 3 vars */ <unfinished ...>\n"
      "4595       0.000050 <... vfork resumed>) = 4596 <0.000140>\n"
      "4596       0.000020 <... execve resumed>) = 0 <0.000150>\n"
      "4596       0.000300 exit_group(0)     = ?\n"
      "4596       0.000100 +++ exited with 0 +++\n"
      "4595       0.000010 wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 4596 <0.000004>\n"
      "4595       0.000050 vfork( <unfinished ...>\n"
      "4597       0.000100 execve(\"/bin/true\", [\"/bin/true\"], 0x1 /* 3 vars */ <unfinished ...>\n"
      "4595       0.000050 <... vfork resumed>) = 4597 <0.000140>\n"
      "4597       0.000020 <... execve resumed>) = 0 <0.000150>\n"
      "4597       0.000300 exit_group(0)     = ?\n"
      "4597       0.000100 +++ exited with 0 +++\n"
      "4595       0.000010 exit_group(0)     = ?\n"
      "4595       0.000100 +++ exited with 0 +++\n",
      /*chunk_bytes=*/64);
  EXPECT_EQ(r->diag.errors(), 0u);
  EXPECT_EQ(r->tree().size(), 3u);
  EXPECT_EQ(r->tree().roots().size(), 1u);
  EXPECT_EQ(r->root().children.size(), 2u);
  for (auto& p : r->tree().processes()) EXPECT_EQ(p.exit.code, 0) << p.pid;
  EXPECT_EQ(r->import.stats.end_timestamp, 1'693 * kUs);
  EXPECT_EQ(r->meta.clock, "relative");
}

// -r with -tt: "HH:MM:SS.ffffff (+ delta) ": the absolute stamp is used.
TEST(StraceShapes, RelativeDeltaAfterAbsoluteStampIsSkipped) {
  auto r = import_text(
      "4604  20:59:11.626547 (+     0.000000) execve(\"/usr/bin/sh\", [\"sh\"], 0x1 /* 3 vars */) = 0\n"
      "4604  20:59:11.627044 (+     0.000445) brk(NULL) = 0x555ec8a80000\n"
      "4604  20:59:11.631403 (+     0.000146) +++ exited with 0 +++\n");
  EXPECT_EQ(r->diag.errors(), 0u);
  const SyscallRecord* brk = find_call(*r, "brk");
  ASSERT_TRUE(brk);
  EXPECT_EQ(brk->start, (20ULL * 3600 + 59 * 60 + 11) * 1'000'000'000 + 627'044 * kUs);
  EXPECT_EQ(r->root().exit.code, 0);
}

std::time_t local_time(int year, int month, int day, int h, int m, int sec) {
  std::tm t{};
  t.tm_year = year - 1900;
  t.tm_mon = month - 1;
  t.tm_mday = day;
  t.tm_hour = h;
  t.tm_min = m;
  t.tm_sec = sec;
  t.tm_isdst = -1;
  return std::mktime(&t);
}

std::unique_ptr<Imported> import_written_at(const std::string& text, std::time_t written) {
  TempDir dir;
  std::string path = dir.file("trace.log");
  write_file(path, text);
  struct timespec times[2] = {{written, 0}, {written, 0}};
  EXPECT_EQ(utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
  return import_files({path});
}

// -tt logs carry no date: exports dated them 1970. The file's modification
// time (written with its last line) gives the day.
TEST(StraceShapes, TimeOfDayLogsAreDatedByTheFilesModificationTime) {
  auto r = import_written_at(
      "100 12:00:00.000000 execve(\"/bin/true\", [\"true\"], 0x1 /* 1 vars */) = 0\n"
      "100 12:00:05.000000 +++ exited with 0 +++\n",
      local_time(2024, 3, 5, 12, 0, 6));
  EXPECT_EQ(r->meta.wall_clock_ns(r->root().start), local_time(2024, 3, 5, 12, 0, 0) * 1'000'000'000LL);
  EXPECT_EQ(r->meta.extra.at("strace_date").substr(0, 10), "2024-03-05");

  // Written just after a midnight the log did not reach: the day before.
  r = import_written_at(
      "100 23:59:58.000000 execve(\"/bin/true\", [\"true\"], 0x1 /* 1 vars */) = 0\n"
      "100 23:59:59.000000 +++ exited with 0 +++\n",
      local_time(2024, 3, 6, 0, 0, 2));
  EXPECT_EQ(r->meta.wall_clock_ns(r->root().start), local_time(2024, 3, 5, 23, 59, 58) * 1'000'000'000LL);

  // A log across midnight: the first line is on the day before the file's.
  r = import_written_at(
      "100 23:59:58.000000 execve(\"/bin/true\", [\"true\"], 0x1 /* 1 vars */) = 0\n"
      "100 00:00:01.000000 +++ exited with 0 +++\n",
      local_time(2024, 3, 6, 0, 0, 2));
  EXPECT_EQ(r->meta.wall_clock_ns(r->root().start), local_time(2024, 3, 5, 23, 59, 58) * 1'000'000'000LL);
}

// A corrupt log whose stamps reach past what an int64 of ns holds (a -ttt
// stamp of year 2540 among -tt lines; found by fuzzing): no date,
// and no signed overflow computing one.
TEST(StraceShapes, StampsBeyondInt64GetNoDateFromTheModificationTime) {
  auto r = import_written_at(
      "100 12:00:00.000000 execve(\"/bin/true\", [\"true\"], 0x1 /* 1 vars */) = 0\n"
      "100 18000000000.000000 getpid() = 100\n"
      "100 12:00:05.000000 +++ exited with 0 +++\n",
      local_time(2024, 3, 5, 12, 0, 6));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->meta.extra.count("strace_date"), 0u);
}

// strace before 4.7 printed no "+++ exited with N +++" lines (an excerpt in
// the format of strace 4.5's -f -tt output): the exits come from
// exit_group(N) = ? and from the parent's wait4 status, and are said to be
// inferred.
TEST(StraceShapes, OldStraceExitsAreInferred) {
  auto r = import_text(
      "1234  12:00:00.000000 execve(\"/bin/sh\", [\"sh\", \"-c\", \"...\"], [/* 20 vars */]) = 0\n"
      "1234  12:00:00.000100 clone(child_stack=0, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, "
      "child_tidptr=0x7f0000000000) = 1235\n"
      "1234  12:00:00.000200 clone(child_stack=0, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, "
      "child_tidptr=0x7f0000000000) = 1236\n"
      "1235  12:00:00.000300 exit_group(3)                     = ?\n"
      "1234  12:00:00.000400 --- SIGCHLD (Child exited) @ 0 (0) ---\n"
      "1234  12:00:00.000500 wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 1235\n"
      "1234  12:00:00.000600 kill(1236, SIGKILL)               = 0\n"
      "1234  12:00:00.000700 wait4(-1,  <unfinished ...>\n"
      "1234  12:00:00.000800 <... wait4 resumed> [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], 0, NULL) = 1236\n"
      "1234  12:00:00.000900 exit_group(0)                     = ?\n");
  EXPECT_EQ(r->diag.errors(), 0u);
  ASSERT_EQ(r->tree().size(), 3u);
  for (auto& p : r->tree().processes()) {
    SCOPED_TRACE(p.pid);
    ASSERT_TRUE(p.exited());
    if (p.pid == 1234) EXPECT_EQ(p.exit.code, 0);
    if (p.pid == 1235) {
      EXPECT_EQ(p.exit.code, 3);
      EXPECT_EQ(*p.end, kNoon + 300 * kUs) << "at its exit_group, not when it was reaped";
    }
    if (p.pid == 1236) {
      EXPECT_EQ(p.exit.signal, 9);
      EXPECT_EQ(*p.end, kNoon + 800 * kUs);
    }
  }
  EXPECT_NE(r->meta.extra.at("strace_exits").find("3 inferred"), std::string::npos);
  EXPECT_EQ(r->diag.warnings(), 1u);
}

// A real strace 6.1 log of `strace -p` on a parent whose children strace
// never traced and which it never reaps: their SIGCHLD siginfo is all the
// log says of their ends (si_code, si_status).
TEST(StraceShapes, ExitsOfUntracedChildrenAreInferredFromSigchld) {
  TempDir dir;
  auto r = import_files({unpack_strace_fixture("sigchld.fttT.log.xz", dir)});
  EXPECT_EQ(r->diag.errors(), 0u);
  std::vector<std::pair<Pid, std::string>> ends;
  for (auto& p : r->tree().processes()) {
    if (!p.exited()) continue;
    ends.emplace_back(p.pid, p.exit.code ? "exit " + std::to_string(*p.exit.code)
                                         : "signal " + std::to_string(p.exit.signal.value_or(-1)));
  }
  EXPECT_EQ(ends, (std::vector<std::pair<Pid, std::string>>{{21360, "exit 7"}, {21361, "exit 0"}, {21362, "signal 9"}}));
  // Children of the process that got their SIGCHLD.
  const Process& parent = r->tree()[*r->tree().live(21358)];
  ASSERT_EQ(parent.children.size(), 3u);
  for (ProcessIndex c : parent.children) EXPECT_EQ(r->tree()[c].ppid, 21358);
  EXPECT_NE(r->meta.extra.at("strace_exits").find("3 inferred"), std::string::npos);
  // The stopped or continued child of a CLD_STOPPED siginfo is alive.
  auto stopped = import_text(
      "100  12:00:00.000100 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_STOPPED, si_pid=101, si_uid=0, "
      "si_status=SIGSTOP, si_utime=0, si_stime=0} ---\n");
  EXPECT_FALSE(stopped->meta.extra.contains("strace_exits"));
}

// A log with exit lines infers nothing.
TEST(StraceShapes, ExitLinesNeedNoInference) {
  auto r = import_text(
      "1235  12:00:00.000300 exit_group(3)                     = ?\n"
      "1235  12:00:00.000400 +++ exited with 3 +++\n");
  EXPECT_EQ(r->root().exit.code, 3);
  EXPECT_FALSE(r->meta.extra.contains("strace_exits"));
}

}  // namespace
}  // namespace proctrace::testing
