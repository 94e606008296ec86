#include "analyze/selection.h"

#include <gtest/gtest.h>

namespace proctrace {
namespace {

Event fork_event(Nanos ts, Pid parent, Pid child) {
  Event e;
  e.kind = EventKind::Fork;
  e.timestamp = ts;
  e.pid = parent;
  e.child_pid = child;
  return e;
}

Event exit_event(Nanos ts, Pid pid) {
  Event e;
  e.kind = EventKind::Exit;
  e.timestamp = ts;
  e.pid = pid;
  e.exit.code = 0;
  return e;
}

// 10 -> 11 (threads 15, 16) -> 12; 10 -> 13; later pid 12 again (reused) under 10.
ProcessTree family() {
  ProcessTree t;
  t.add(fork_event(1, 10, 11));
  t.add(fork_event(2, 11, 12));
  t.add(fork_event(3, 10, 13));
  t.add(exit_event(4, 12));
  t.add(fork_event(5, 10, 12));
  t.add_thread(11, 15);
  t.add_thread(11, 16);
  t.finish(10);
  return t;
}

std::vector<Pid> selected(const ProcessTree& t, const Selection& s) {
  std::vector<Pid> out;
  for (auto& p : t.processes())
    if (s.has(p.index)) out.push_back(p.pid);
  return out;
}

TEST(Selection, EmptyMeansEverything) {
  ProcessTree t = family();
  Selection s(t, {});
  EXPECT_TRUE(s.everything());
  EXPECT_EQ(selected(t, s).size(), t.size());
  EXPECT_TRUE(s.has_call(kNoProcess, 999, 999));
}

TEST(Selection, APidNamesEveryProcessThatHadIt) {
  ProcessTree t = family();
  Selection s(t, {.pids = {12}});
  EXPECT_EQ(selected(t, s), (std::vector<Pid>{12, 12}));
  EXPECT_TRUE(s.unmatched().empty());
}

TEST(Selection, ThreadsOnlyWithDashT) {
  ProcessTree t = family();
  ProcessIndex p11 = *t.live(11);
  Selection leader(t, {.pids = {11}});
  EXPECT_TRUE(leader.has(p11));
  EXPECT_TRUE(leader.has_call(p11, 11, 11));
  EXPECT_FALSE(leader.has_call(p11, 15, 11));
  Selection thread(t, {.pids = {15}});
  EXPECT_EQ(selected(t, thread), (std::vector<Pid>{11}));
  EXPECT_TRUE(thread.has_call(p11, 15, 11));
  EXPECT_FALSE(thread.has_call(p11, 11, 11));
  Selection siblings(t, {.pids = {15}, .threads = true});
  EXPECT_TRUE(siblings.has_call(p11, 11, 11));
  EXPECT_TRUE(siblings.has_call(p11, 16, 11));
}

TEST(Selection, RelatedAddsParentAndChildren) {
  ProcessTree t = family();
  Selection s(t, {.pids = {11}, .related = true});
  EXPECT_EQ(selected(t, s), (std::vector<Pid>{10, 11, 12}));  // the first 12 only: 11's child
  ProcessIndex p10 = t.roots().front();
  EXPECT_TRUE(s.has_call(p10, 10, 10));
}

TEST(Selection, ReportsPidsThatMatchNothing) {
  ProcessTree t = family();
  Selection s(t, {.pids = {13, 77}});
  EXPECT_EQ(selected(t, s), (std::vector<Pid>{13}));
  EXPECT_EQ(s.unmatched(), (std::vector<Pid>{77}));
  EXPECT_TRUE(s.has_call(kNoProcess, 77, 77)) << "a task without lifecycle events matches by id";
  EXPECT_FALSE(s.has_call(kNoProcess, 78, 78));
}

}  // namespace
}  // namespace proctrace
