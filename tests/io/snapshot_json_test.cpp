// The Snapshot line: round trip, hostile lines rejected with a message, and
// the loader keeps snapshots beside the events.
#include <gtest/gtest.h>

#include "io/diagnostics.h"
#include "io/event_json.h"
#include "io/snapshot_json.h"
#include "load/trace.h"
#include "test_support.h"

namespace proctrace {
namespace {

ProcSnapshot sample() {
  ProcSnapshot s;
  s.timestamp = 5'000'000'000;
  s.reason = "timeout";
  s.root = 90;
  s.duration_ns = 1234;
  s.processes_scanned = 7;
  s.job_stdio.push_back({1, FdKind::Pipe, "pipe:[4411]", 4411, 0, 'w'});
  SnapshotProcess p;
  p.pid = 91;
  p.ppid = 90;
  p.pgid = 90;
  p.sid = 1;
  p.state = 'S';
  p.start_timestamp = 4'000'000'000;
  p.comm = "cat";
  p.cmdline = {"cat", "f\x1b[31m"};
  p.syscall = BlockedSyscall{257, "openat", {0xffffff9c, 0x7ffd12345678, 0, 0, 0, 0}, "/tmp/f"};
  p.wchan = "fifo_open";
  p.fds.push_back({1, FdKind::Pipe, "pipe:[4411]", 4411, 0, 'w'});
  p.fds.push_back({5, FdKind::Fifo, "/tmp/g", 77, 2049, 'r'});
  s.processes.push_back(p);
  SnapshotProcess outside;
  outside.pid = 88;
  outside.in_subtree = false;
  outside.state = 'S';
  outside.comm = "sleep";
  outside.fds.push_back({1, FdKind::Pipe, "pipe:[4411]", 4411, 0, 'w'});
  s.processes.push_back(outside);
  return s;
}

TEST(SnapshotJson, RoundTrip) {
  ProcSnapshot in = sample();
  std::string line = snapshot_json(in);
  EXPECT_EQ(line.rfind("{\"Snapshot\":", 0), 0u);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  ParsedLine parsed;
  ASSERT_TRUE(parse_line(line, parsed)) << parsed.error;
  ASSERT_EQ(parsed.kind, LineKind::Snapshot);
  const ProcSnapshot& out = parsed.snapshot;
  EXPECT_EQ(out.timestamp, in.timestamp);
  EXPECT_EQ(out.reason, "timeout");
  EXPECT_EQ(out.root, 90);
  EXPECT_EQ(out.processes_scanned, 7u);
  ASSERT_EQ(out.job_stdio.size(), 1u);
  EXPECT_TRUE(out.job_stdio[0].same_object(in.job_stdio[0]));
  ASSERT_EQ(out.processes.size(), 2u);
  const SnapshotProcess& p = out.processes[0];
  EXPECT_EQ(p.cmdline, in.processes[0].cmdline);
  ASSERT_TRUE(p.syscall);
  EXPECT_EQ(p.syscall->nr, 257);
  EXPECT_EQ(p.syscall->name, "openat");
  EXPECT_EQ(p.syscall->args, in.processes[0].syscall->args);
  EXPECT_EQ(p.syscall->path, "/tmp/f");
  EXPECT_EQ(p.wchan, "fifo_open");
  ASSERT_EQ(p.fds.size(), 2u);
  EXPECT_EQ(p.fds[1].kind, FdKind::Fifo);
  EXPECT_EQ(p.fds[1].dev, 2049u);
  EXPECT_EQ(p.fds[1].access, 'r');
  EXPECT_FALSE(out.processes[1].in_subtree);
  EXPECT_FALSE(out.processes[1].syscall);
  EXPECT_EQ(snapshot_json(out), line);
}

TEST(SnapshotJson, MalformedLinesAreErrorsNotCrashes) {
  const char* bad[] = {
      R"({"Snapshot":[]})",
      R"({"Snapshot":{}})",
      R"({"Snapshot":{"timestamp":-1}})",
      R"({"Snapshot":{"timestamp":1,"processes":[{"pid":99999999999}]}})",
      R"({"Snapshot":{"timestamp":1,"processes":[{"pid":1,"state":"SS"}]}})",
      R"({"Snapshot":{"timestamp":1,"processes":[{"pid":1,"syscall":{"nr":0,"args":[3]}}]}})",
      R"({"Snapshot":{"timestamp":1,"processes":[{"pid":1,"syscall":{"nr":0,"args":["0x"]}}]}})",
      R"({"Snapshot":{"timestamp":1,"processes":[{"pid":1,"fds":[{"fd":"1"}]}]}})",
      R"({"Snapshot":{"timestamp":1,"processes":[[[[[[[[[[[]]]]]]]]]]]}})",
      R"({"Snapshot":{"timestamp":1,"processes":"x"}})",
  };
  for (const char* line : bad) {
    ParsedLine parsed;
    EXPECT_FALSE(parse_line(line, parsed)) << line;
    EXPECT_NE(parsed.error.find("Snapshot"), std::string::npos) << parsed.error;
  }
}

TEST(SnapshotJson, UnknownFdKindAndFieldsFromANewerWriterAreKept) {
  ParsedLine parsed;
  ASSERT_TRUE(parse_line(
      R"({"Snapshot":{"timestamp":1,"future":1,"processes":[{"pid":1,"fds":[{"fd":3,"kind":"io_uring","target":"x"}]}]}})",
      parsed))
      << parsed.error;
  ASSERT_EQ(parsed.snapshot.processes.size(), 1u);
  EXPECT_EQ(parsed.snapshot.processes[0].fds[0].kind, FdKind::Other);
}

TEST(SnapshotJson, LoaderKeepsSnapshotsBesideTheEvents) {
  testing::TempDir dir;
  std::string path = dir.file("r.jsonl");
  testing::write_file(path,
                      R"({"Fork":{"timestamp":1,"parent_pid":1,"child_pid":90,"parent_pgid":1}})"
                      "\n" +
                          snapshot_json(sample()) + "\n" +
                          R"({"Exit":{"timestamp":9,"pid":90,"ppid":1,"pgid":1,"code":0,"signal":null}})"
                          "\n");
  Diagnostics diag(false);
  auto trace = load_trace({path}, diag);
  EXPECT_EQ(diag.errors(), 0u);
  EXPECT_EQ(diag.warnings(), 0u);
  EXPECT_EQ(trace->events.size(), 2u);
  ASSERT_EQ(trace->snapshots.size(), 1u);
  EXPECT_EQ(trace->snapshots[0].processes.size(), 2u);
}

}  // namespace
}  // namespace proctrace
