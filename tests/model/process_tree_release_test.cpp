#include <gtest/gtest.h>

#include "model/process_tree.h"

namespace proctrace {
namespace {

Event ev(EventKind kind, Nanos ts, Pid pid, Pid other = 0) {
  Event e;
  e.kind = kind;
  e.timestamp = ts;
  e.pid = pid;
  if (kind == EventKind::Fork) e.child_pid = other;
  if (kind == EventKind::Exec) {
    e.cmdline = {"job"};
    e.has_cmdline = true;
  }
  if (kind == EventKind::Exit) e.exit.code = 0;
  return e;
}

TEST(ProcessTreeRelease, SlotsAreReusedSoMemoryFollowsLiveProcesses) {
  ProcessTree t;
  t.add(ev(EventKind::Exec, 1, 10));
  Nanos ts = 2;
  for (Pid child = 100; child < 1100; ++child) {
    ProcessIndex c = t.add(ev(EventKind::Fork, ts++, 10, child));
    t.add(ev(EventKind::Exec, ts++, child));
    EXPECT_EQ(t.add(ev(EventKind::Exit, ts++, child)), c);
    t.release(c);
  }
  EXPECT_EQ(t.size(), 2u);  // the root and one recycled slot
  EXPECT_EQ(t.processes_seen(), 1001u);
  EXPECT_TRUE(t[0].children.empty());
  EXPECT_EQ(t.roots(), std::vector<ProcessIndex>{0});
}

TEST(ProcessTreeRelease, SerialsStayUniqueAndOrphansLoseTheirParent) {
  ProcessTree t;
  ProcessIndex sh = t.add(ev(EventKind::Exec, 1, 10));
  ProcessIndex a = t.add(ev(EventKind::Fork, 2, 10, 11));
  ProcessIndex b = t.add(ev(EventKind::Fork, 3, 11, 12));
  EXPECT_EQ(t[b].parent, a);
  t.add(ev(EventKind::Exit, 4, 11));
  t.release(a);
  EXPECT_EQ(t[b].parent, kNoProcess);
  EXPECT_EQ(t[b].ppid, 11);  // the pid it was forked by is kept
  EXPECT_FALSE(t.live(11));
  ProcessIndex c = t.add(ev(EventKind::Fork, 5, 10, 13));
  EXPECT_EQ(c, a);  // the freed slot
  EXPECT_EQ(t[c].serial, 3u);
  EXPECT_EQ(t[c].pid, 13);
  EXPECT_EQ(t[sh].children, std::vector<ProcessIndex>{c});
  // Without release nothing changes: serial == index.
  ProcessTree plain;
  plain.add(ev(EventKind::Exec, 1, 10));
  plain.add(ev(EventKind::Fork, 2, 10, 11));
  plain.add(ev(EventKind::Exit, 3, 11));
  plain.add(ev(EventKind::Fork, 4, 10, 12));
  ASSERT_EQ(plain.size(), 3u);
  for (auto& p : plain.processes()) EXPECT_EQ(p.serial, p.index);
}

}  // namespace
}  // namespace proctrace
