// The build analyses on small hand-made process sets: critical path,
// concurrency, own time, argv normalization and run matching. Times are in
// milliseconds from 0 to keep the cases readable.
#include <gtest/gtest.h>

#include <algorithm>

#include "analyze/argv_normalize.h"
#include "analyze/concurrency.h"
#include "analyze/critical_path.h"
#include "analyze/group_stats.h"
#include "analyze/run_diff.h"
#include "analyze/run_own_time.h"
#include "io/input_file.h"

namespace proctrace {
namespace {

constexpr Nanos kMs = 1'000'000;

// Adds a process that runs one program, argv given as words.
std::uint32_t add(BuildRecording& rec, std::uint32_t parent, Nanos start_ms, Nanos end_ms,
                  std::vector<std::string> argv, int code = 0) {
  ProcessSpan p;
  p.pid = 100 + static_cast<Pid>(rec.processes.size());
  p.parent = parent;
  p.start = start_ms * kMs;
  p.end = end_ms * kMs;
  p.exited = true;
  p.exit.code = code;
  std::string program = argv.empty() ? "?" : argv[0];
  auto it = std::find(rec.programs.begin(), rec.programs.end(), program);
  p.program = static_cast<std::uint32_t>(it - rec.programs.begin());
  if (it == rec.programs.end()) rec.programs.push_back(program);
  ProgramRun r;
  r.process = static_cast<std::uint32_t>(rec.processes.size());
  r.start = p.start;
  r.end = p.end;
  r.last = true;
  r.program = p.program;
  std::string joined;
  for (std::size_t i = 0; i < argv.size(); ++i) joined += (i ? std::string(1, '\0') : std::string()) + argv[i];
  r.argv = rec.text.store(joined);
  p.last_run = static_cast<std::uint32_t>(rec.runs.size());
  rec.runs.push_back(r);
  rec.processes.push_back(p);
  if (rec.processes.size() == 1) rec.first = p.start;
  rec.last = std::max(rec.last, p.end);
  return r.process;
}

// make [0,100]: a.c [5,60] (cc1 [10,55]), b.c [6,30], link [62,95].
BuildRecording small_build() {
  BuildRecording rec;
  auto make = add(rec, kNoSpan, 0, 100, {"make", "-j2"});
  auto a = add(rec, make, 5, 60, {"gcc", "-c", "a.c"});
  add(rec, a, 10, 55, {"cc1", "a.c", "-o", "/tmp/ccAb12Cd.s"});
  add(rec, make, 6, 30, {"gcc", "-c", "b.c"});
  add(rec, make, 62, 95, {"gcc", "-o", "prog", "a.o", "b.o"});
  return rec;
}

std::vector<std::string> path_text(const BuildRecording& rec, const CriticalPath& path) {
  std::vector<std::string> out;
  for (auto& s : path.steps)
    out.push_back(std::to_string(s.from / kMs) + "-" + std::to_string(s.to / kMs) + " " +
                  (s.span == kNoSpan ? "-" : std::string(rec.program(rec.processes[s.span].program))) +
                  (s.span == kNoSpan ? "" : " " + std::to_string(s.span)) + (s.waiting_parent ? " gap" : ""));
  return out;
}

TEST(CriticalPath, DescendsIntoTheLastChildThenWalksBackThroughItsSiblings) {
  BuildRecording rec = small_build();
  CriticalPath path = critical_path(rec);
  // make waits for the link (ends last), which started after a.c ended;
  // b.c ended earlier, overlapped by a.c, so it is not on the path.
  EXPECT_EQ(path_text(rec, path), (std::vector<std::string>{"0-5 make 0 gap", "5-10 gcc 1 gap", "10-55 cc1 2",
                                                            "55-60 gcc 1 gap", "60-62 make 0 gap", "62-95 gcc 4",
                                                            "95-100 make 0 gap"}));
  EXPECT_EQ(path.total, 100 * kMs);
  ASSERT_FALSE(path.processes.empty());
  EXPECT_EQ(path.processes.front().span, 2u);  // cc1: 45 ms
  EXPECT_EQ(path.processes.front().own, 45 * kMs);
}

TEST(CriticalPath, ChildOutlivingItsParentIsNotWaitedFor) {
  BuildRecording rec;
  auto root = add(rec, kNoSpan, 0, 50, {"sh"});
  add(rec, root, 10, 80, {"daemon"});  // ends after the root
  add(rec, root, 5, 20, {"true"});
  CriticalPath path = critical_path(rec);
  // The path covers the root's life; the daemon, still running after the
  // root ended, was not waited for.
  EXPECT_EQ(path_text(rec, path), (std::vector<std::string>{"0-5 sh 0 gap", "5-20 true 2", "20-50 sh 0 gap"}));
}

TEST(CriticalPath, DeepChainDoesNotOverflowTheStack) {
  BuildRecording rec;
  std::uint32_t parent = kNoSpan;
  constexpr Nanos kDepth = 200000;
  for (Nanos i = 0; i < kDepth; ++i) parent = add(rec, parent, i, 2 * kDepth - i, {"sh"});
  CriticalPath path = critical_path(rec);
  EXPECT_EQ(path.total, 2 * kDepth * kMs);
  EXPECT_EQ(path.processes.size(), kDepth);
}

TEST(Concurrency, CountsProcessesNotWaitingForAChild) {
  BuildRecording rec = small_build();
  Concurrency c = concurrency(rec, true);
  // 0-5 make alone; 5-6 a; 6-10 a,b; 10-30 cc1,b; 30-55 cc1; 55-60 gcc a;
  // 60-62 make; 62-95 link; 95-100 make.
  EXPECT_EQ(c.busy, 100 * kMs);
  EXPECT_EQ(c.peak, 2u);
  EXPECT_EQ(c.time_at[2], 24 * kMs);
  EXPECT_EQ(c.serial, 76 * kMs);
  EXPECT_NEAR(c.average(), 1.24, 1e-9);
  ASSERT_FALSE(c.longest_serial.empty());
  EXPECT_EQ(c.longest_serial.front().from, 30 * kMs);
  EXPECT_EQ(c.longest_serial.front().to, 100 * kMs);
  EXPECT_EQ(c.longest_serial.front().span, 4u);  // the link held 33 of those 70 ms
  std::vector<double> series = concurrency_series(c, 0, 100 * kMs, 10);
  EXPECT_NEAR(series[0], 1.4, 1e-9);   // 0-6 at 1, 6-10 at 2
  EXPECT_NEAR(series[1], 2.0, 1e-9);   // 10-20
  EXPECT_NEAR(series[9], 1.0, 1e-9);
}

TEST(RunOwnTime, SubtractsTheTimeChildrenWereAlive) {
  BuildRecording rec = small_build();
  std::vector<Nanos> own = run_own_times(rec);
  // make: 100 minus the union of [5,60] and [62,95].
  EXPECT_EQ(own[0], 12 * kMs);
  EXPECT_EQ(own[1], 10 * kMs);  // gcc a.c: 55 minus cc1's 45
  EXPECT_EQ(own[2], 45 * kMs);
}

TEST(ArgvNormalize, TempNamesPidsTimestampsAndHashesGoFileNamesStay) {
  EXPECT_EQ(normalize_argument("/tmp/ccAb12Cd.s"), "/tmp/*.s");
  EXPECT_EQ(normalize_argument("/tmp/ccZz98Yq.s"), "/tmp/*.s");
  EXPECT_EQ(normalize_argument("/tmp/ccabcdef.s"), "/tmp/*.s");
  EXPECT_EQ(normalize_argument("/tmp/b/x7Rk2P/parser.c"), "/tmp/b/*/parser.c");
  EXPECT_EQ(normalize_argument("-fdebug-prefix-map=/tmp/tmp.x7Rk2P1q=/src"), "-fdebug-prefix-map=/tmp/tmp.*=/src");
  EXPECT_EQ(normalize_argument("/proc/123456/stat"), "/proc/<n>/stat");
  EXPECT_EQ(normalize_argument("--seed=1700000000"), "--seed=<n>");
  EXPECT_EQ(normalize_argument("4242424"), "<n>");
  EXPECT_EQ(normalize_argument("out/3f2a9c1b7d4e5f60.o"), "out/<hex>.o");
  EXPECT_EQ(normalize_argument("src/file_12345.c"), "src/file_12345.c");
  EXPECT_EQ(normalize_argument("big.c"), "big.c");
  EXPECT_EQ(normalize_argument("/tmp/build/main.c"), "/tmp/build/main.c");
}

TEST(RunDiff, MatchesByNormalizedArgvAndOrderAndRanksByOwnTime) {
  BuildRecording a = small_build();
  BuildRecording b;
  auto make = add(b, kNoSpan, 0, 130, {"make", "-j2"});
  auto ga = add(b, make, 5, 90, {"gcc", "-c", "a.c"});
  add(b, ga, 10, 85, {"cc1", "a.c", "-o", "/tmp/ccZz98Yq.s"});  // 30 ms slower
  add(b, make, 6, 30, {"gcc", "-c", "b.c"});
  add(b, make, 92, 125, {"gcc", "-o", "prog", "a.o", "b.o"}, 1);  // now fails
  add(b, make, 7, 8, {"touch", "stamp"});                          // new
  RunDiff d = diff_runs(a, b);
  EXPECT_EQ(d.wall_before, 100 * kMs);
  EXPECT_EQ(d.wall_after, 130 * kMs);
  ASSERT_GE(d.changes.size(), 2u);
  EXPECT_EQ(d.changes[0].before, 2u);  // cc1 first, matched despite its temp file
  EXPECT_EQ(d.changes[0].after, 2u);
  EXPECT_EQ(d.changes[0].impact(), 30 * static_cast<std::int64_t>(kMs));
  std::size_t added = 0;
  for (auto& c : d.changes) added += c.before == kNoRun;
  EXPECT_EQ(added, 1u);
  ASSERT_EQ(d.status_changes.size(), 1u);
  EXPECT_EQ(d.status_changes[0].before, 4u);
}

TEST(RunDiff, RepeatedIdenticalCommandsPairInOrder) {
  BuildRecording a, b;
  auto ra = add(a, kNoSpan, 0, 100, {"sh"});
  auto rb = add(b, kNoSpan, 0, 104, {"sh"});  // the same own time as in a
  for (Nanos i = 0; i < 3; ++i) add(a, ra, 10 * i, 10 * i + 5, {"true"});
  for (Nanos i = 0; i < 3; ++i) add(b, rb, 10 * i, 10 * i + 5 + (i == 1 ? 4 : 0), {"true"});
  RunDiff d = diff_runs(a, b);
  ASSERT_FALSE(d.changes.empty());
  EXPECT_EQ(d.changes[0].before, 2u);  // the second `true` in both
  EXPECT_EQ(d.changes[0].after, 2u);
  for (auto& c : d.changes) EXPECT_TRUE(c.matched());
}

TEST(GroupStats, CountsRunsFailuresAndTheSlowest) {
  BuildRecording rec = small_build();
  rec.processes[3].exit.code = 1;
  auto groups = group_stats(rec, GroupKey::Program);
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].key, "gcc");
  EXPECT_EQ(groups[0].runs, 3u);
  EXPECT_EQ(groups[0].failed, 1u);
  EXPECT_EQ(groups[0].total, (55 + 24 + 33) * kMs);
  EXPECT_EQ(groups[0].max, 55 * kMs);
  EXPECT_EQ(run_subject(rec, rec.runs[groups[0].slowest]), "a.c");
  EXPECT_THROW(group_stats(rec, GroupKey::Cwd), InputError);
}

TEST(GroupStats, SameCommandLineIsOneGroupAndOnlyTheShownAreNamed) {
  BuildRecording rec;
  auto make = add(rec, kNoSpan, 0, 100, {"make"});
  add(rec, make, 1, 11, {"cc", "-c", "x.c"});
  add(rec, make, 20, 50, {"cc", "-c", "x.c"});
  add(rec, make, 60, 65, {"cc", "-c", "y.c"});
  auto groups = group_stats(rec, GroupKey::Command, 2);
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].key, "make");
  EXPECT_EQ(groups[1].key, "cc -c x.c");
  EXPECT_EQ(groups[1].runs, 2u);
  EXPECT_EQ(groups[1].total, 40 * kMs);
  EXPECT_EQ(groups[2].key, "");  // past the two asked for
  EXPECT_EQ(groups[2].runs, 1u);
}

TEST(GroupStats, TheLabelledComeFirstInOrderAndNoGroupIsLost) {
  BuildRecording rec;
  auto make = add(rec, kNoSpan, 0, 1000, {"make"});
  // Totals 5, 40, 10, 40, 30, 1 ms: the two at 40 tie and go by name.
  const Nanos durations[] = {5, 40, 10, 40, 30, 1};
  const char* files[] = {"a.c", "d.c", "b.c", "c.c", "e.c", "f.c"};
  Nanos at = 1;
  for (int i = 0; i < 6; ++i) {
    add(rec, make, at, at + durations[i], {"cc", "-c", files[i]});
    at += durations[i] + 1;
  }
  auto full = group_stats(rec, GroupKey::Command);
  auto top = group_stats(rec, GroupKey::Command, 3);
  ASSERT_EQ(top.size(), full.size());
  ASSERT_EQ(full.size(), 7u);
  EXPECT_EQ(full[0].key, "make");
  EXPECT_EQ(full[1].key, "cc -c c.c");
  EXPECT_EQ(full[2].key, "cc -c d.c");
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(top[i].key, full[i].key);
    EXPECT_EQ(top[i].total, full[i].total);
  }
  std::uint64_t runs = 0;
  Nanos total = 0;
  for (std::size_t i = 3; i < top.size(); ++i) {
    EXPECT_EQ(top[i].key, "");
    runs += top[i].runs;
    total += top[i].total;
  }
  EXPECT_EQ(runs, 4u);
  EXPECT_EQ(total, (30 + 10 + 5 + 1) * kMs);
}

TEST(TextArena, ViewsStayValidAsItGrowsAndMoves) {
  BuildRecording rec;
  std::string big(3 << 20, 'x');  // longer than a block: the texts after it need a new one
  std::vector<std::string_view> views;
  std::vector<std::string> texts;
  for (int i = 0; i < 20000; ++i) {
    texts.push_back(i == 777 ? big : "cc\0-c\0file_" + std::to_string(i) + ".c");
    views.push_back(rec.text.store(texts.back()));
  }
  BuildRecording moved = std::move(rec);
  // ASSERT_TRUE, not ASSERT_EQ: a failure must not print 3 MiB of text.
  for (std::size_t i = 0; i < texts.size(); ++i) ASSERT_TRUE(views[i] == texts[i]) << "text " << i;
  EXPECT_TRUE(moved.text.store("").empty());
}

}  // namespace
}  // namespace proctrace
