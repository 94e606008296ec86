// Decodes exported traces with protoc against tests/export/perfetto_trace.proto
// (Perfetto's field numbers) and checks the tracks, slices and instants.
#include "export/perfetto_export.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "protoc_text.h"
#include "test_support.h"

namespace proctrace {
namespace {

using testing::fixture;
using testing::source_dir;
using testing::run;
using testing::run_proctrace;
using testing::TempDir;
using testing::Node;
using testing::parse_text_format;

struct Slice {
  std::string name;
  std::uint64_t start = 0, end = 0;
  std::map<std::string, std::string> args;
};

struct Decoded {
  std::map<std::string, std::string> track_name;    // uuid -> name
  std::map<std::string, std::string> track_parent;  // uuid -> parent uuid
  std::map<std::string, std::vector<Slice>> slices;    // track name -> slices in order
  std::map<std::string, std::vector<std::string>> instants;  // track name -> "name key=value"
  std::map<std::string, std::vector<std::string>> counters;  // track name -> values in order
  std::set<std::string> counter_tracks;                      // names of tracks declared as counters
  std::size_t packets = 0;
  std::string root_process;
};

std::map<std::string, std::string> annotations(const Node& te) {
  std::map<std::string, std::string> args;
  for (auto& a : te.children)
    if (a.key == "debug_annotations")
      args[a.get("name")] = a.child("int_value") ? a.get("int_value") : a.get("string_value");
  return args;
}

Decoded decode(const std::string& pftrace) {
  auto r = run({"protoc", "--decode=perfetto.protos.Trace",
                "--proto_path=" + std::string(source_dir()) + "/tests/export",
                std::string(source_dir()) + "/tests/export/perfetto_trace.proto"},
               testing::read_file(pftrace));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  Node root = parse_text_format(r.out);
  Decoded d;
  std::map<std::string, std::vector<Slice>> open;  // track name -> begun slices
  for (const Node& packet : root.children) {
    EXPECT_EQ(packet.key, "packet");
    d.packets++;
    if (const Node* td = packet.child("track_descriptor")) {
      d.track_name[td->get("uuid")] = td->get("name");
      if (td->child("parent_uuid")) d.track_parent[td->get("uuid")] = td->get("parent_uuid");
      if (const Node* pd = td->child("process")) d.root_process = pd->get("pid") + " " + pd->get("process_name");
      if (td->child("counter")) d.counter_tracks.insert(td->get("name"));
    }
    if (const Node* te = packet.child("track_event")) {
      std::string track = d.track_name.at(te->get("track_uuid"));  // declared before use
      std::uint64_t ts = std::stoull(packet.get("timestamp"));
      std::string type = te->get("type");
      if (type == "TYPE_SLICE_BEGIN") {
        open[track].push_back({te->get("name"), ts, 0, annotations(*te)});
      } else if (type == "TYPE_SLICE_END") {
        EXPECT_FALSE(open[track].empty()) << "END without BEGIN on " << track;
        Slice s = open[track].back();
        open[track].pop_back();
        s.end = ts;
        for (auto& [k, v] : annotations(*te)) s.args[k] = v;
        d.slices[track].push_back(s);
      } else if (type == "TYPE_COUNTER") {
        d.counters[track].push_back(te->get("counter_value"));
      } else if (type == "TYPE_INSTANT") {
        auto args = annotations(*te);
        d.instants[track].push_back(te->get("name") + " " + args.begin()->first + "=" + args.begin()->second);
      }
    }
  }
  return d;
}

std::string parent_name(const Decoded& d, const std::string& name) {
  for (auto& [uuid, n] : d.track_name)
    if (n == name) {
      auto it = d.track_parent.find(uuid);
      return it == d.track_parent.end() ? "" : d.track_name.at(it->second);
    }
  return "?";
}

bool have_protoc() { return run({"protoc", "--version"}).exit_code == 0; }

TEST(PerfettoExport, TracksNestLikeTheProcessTreeWithSlicesPerExec) {
  if (!have_protoc()) GTEST_SKIP() << "protoc (protobuf-compiler) is not installed";
  TempDir dir;
  std::string out = dir.file("small.pftrace");
  auto r = run_proctrace({"export", "--perfetto", out, fixture("export/small.jsonl")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Decoded d = decode(out);

  // One track per process, nested under its parent's track, and the counter.
  ASSERT_EQ(d.track_name.size(), 5u);
  EXPECT_EQ(parent_name(d, "pid 100"), "");
  EXPECT_EQ(parent_name(d, "pid 101"), "pid 100");
  EXPECT_EQ(parent_name(d, "pid 102"), "pid 101");
  EXPECT_EQ(parent_name(d, "pid 103"), "pid 101");
  EXPECT_EQ(d.root_process, "100 sh");

  // A slice per exec segment, named by the program; forked stretch first.
  ASSERT_EQ(d.slices["pid 102"].size(), 2u);
  const Slice& forked = d.slices["pid 102"][0];
  EXPECT_EQ(forked.name, "make");
  EXPECT_EQ(forked.start, 4000u);
  EXPECT_EQ(forked.end, 5000u);
  EXPECT_EQ(forked.args.at("inherited").substr(0, 6), "forked");
  const Slice& cc = d.slices["pid 102"][1];
  EXPECT_EQ(cc.name, "cc");
  EXPECT_EQ(cc.start, 5000u);
  EXPECT_EQ(cc.end, 9000u);
  EXPECT_EQ(cc.args.at("pid"), "102");
  EXPECT_EQ(cc.args.at("ppid"), "101");
  EXPECT_EQ(cc.args.at("argv"), R"([\"cc\",\"-c\",\"a.c\"])");
  EXPECT_EQ(cc.args.at("exit_code"), "1");
  ASSERT_EQ(d.slices["pid 103"].size(), 1u);
  EXPECT_EQ(d.slices["pid 103"][0].args.at("exit_signal"), "9");
  ASSERT_EQ(d.slices["pid 100"].size(), 1u);
  EXPECT_EQ(d.slices["pid 100"][0].name, "sh");
  EXPECT_EQ(d.slices["pid 100"][0].end, 10000u);

  // Instants: forks on the parent's track, setpgid/setsid on the process's.
  EXPECT_EQ(d.instants["pid 100"], std::vector<std::string>{"fork child_pid=101"});
  EXPECT_EQ(d.instants["pid 101"], (std::vector<std::string>{"fork child_pid=102", "fork child_pid=103"}));
  EXPECT_EQ(d.instants["pid 102"], std::vector<std::string>{"setpgid pgid=102"});
  EXPECT_EQ(d.instants["pid 103"], std::vector<std::string>{"setsid sid=103"});
}

TEST(PerfettoExport, ProcessesStillRunningKeepAnOpenSlice) {
  if (!have_protoc()) GTEST_SKIP() << "protoc (protobuf-compiler) is not installed";
  TempDir dir;
  std::string in = dir.file("open.jsonl");
  testing::write_file(in,
                      "{\"Exec\":{\"timestamp\":10,\"pid\":5,\"ppid\":1,\"pgid\":5,\"cmdline\":[\"sleep\",\"9\"]}}\n"
                      "{\"Fork\":{\"timestamp\":20,\"parent_pid\":5,\"child_pid\":6,\"parent_pgid\":5}}\n"
                      "{\"Exit\":{\"timestamp\":30,\"pid\":6,\"ppid\":5,\"pgid\":5,\"code\":0,\"signal\":null}}\n");
  std::string out = dir.file("open.pftrace");
  ASSERT_EQ(run_proctrace({"export", "--perfetto", out, in}).exit_code, 0);
  Decoded d = decode(out);
  EXPECT_TRUE(d.slices["pid 5"].empty());  // begun, never ended
  ASSERT_EQ(d.slices["pid 6"].size(), 1u);
  EXPECT_EQ(d.slices["pid 6"][0].args.at("exit_code"), "0");
  EXPECT_EQ(d.packets, 2u /*tracks*/ + 2u /*begins*/ + 1u /*end*/ + 1u /*fork*/ + 2u /*counter track, value*/);
}

TEST(PerfettoExport, CounterTrackOfProcessesWorking) {
  if (!have_protoc()) GTEST_SKIP() << "protoc (protobuf-compiler) is not installed";
  TempDir dir;
  std::string out = dir.file("build.pftrace");
  // make; a.c (with cc1) and b.c in parallel, a touch beside them at
  // 0.300-0.310, b.c ends at 0.5, then a.c and the link, one after another.
  ASSERT_EQ(run_proctrace({"export", "--perfetto", out, fixture("build/small-build.jsonl")}).exit_code, 0);
  Decoded d = decode(out);
  EXPECT_EQ(d.counter_tracks, std::set<std::string>{"processes working"});
  // Only changes are written: make waiting for gcc waiting for cc1 stays 1.
  EXPECT_EQ(d.counters["processes working"], (std::vector<std::string>{"1", "2", "3", "2", "1", "0"}));
}

TEST(PerfettoExport, OneRecordingPerFile) {
  TempDir dir;
  auto r = run_proctrace({"export", "--perfetto", dir.file("x.pftrace"), fixture("export/small.jsonl"),
                          fixture("export/small.jsonl")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("one recording per file"), std::string::npos) << r.err;
}

// --logs: every syscall of a real strace log is also a log entry, with the
// line as strace printed it; failed calls are warnings.
TEST(PerfettoExport, LogsAddEverySyscallLineAsALogEntry) {
  if (!have_protoc()) GTEST_SKIP() << "protoc (protobuf-compiler) is not installed";
  TempDir dir;
  const std::string log = dir.file("make.log");
  auto x = run({"sh", "-c", "xz -dc \"$0\" > \"$1\"", fixture("strace/make.fttTyyy.log.xz"), log});
  ASSERT_EQ(x.exit_code, 0) << x.err;
  ASSERT_EQ(run_proctrace({"export", "--perfetto", dir.file("l.pftrace"), "--logs", log}).exit_code, 0);
  ASSERT_EQ(run_proctrace({"export", "--perfetto", dir.file("p.pftrace"), log}).exit_code, 0);
  auto r = run({"protoc", "--decode=perfetto.protos.Trace", "--proto_path=" + std::string(source_dir()) + "/tests/export",
                std::string(source_dir()) + "/tests/export/perfetto_trace.proto"},
               testing::read_file(dir.file("l.pftrace")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Node root = parse_text_format(r.out);
  std::size_t events = 0, warnings = 0;
  bool saw_exec = false;
  for (const Node& packet : root.children)
    if (const Node* logs = packet.child("android_log"))
      for (const Node& e : logs->children) {
        ++events;
        const std::string message = testing::c_unescape(e.get("message"));
        EXPECT_EQ(message.rfind(e.get("tag") + "(", 0), 0u) << message;
        if (e.get("prio") == "PRIO_WARN") {
          ++warnings;
          EXPECT_NE(message.find(" E", message.rfind(") = ")), std::string::npos) << message;
        }
        saw_exec |= message.rfind("execve(\"/usr/bin/cc\", [\"cc\"", 0) == 0;
      }
  // One per syscall of a known process: what the SQLite export stores.
  ASSERT_EQ(run_proctrace({"export", "--sqlite", dir.file("t.db"), log}).exit_code, 0);
  auto count = run({"sqlite3", dir.file("t.db"), "SELECT count(*), sum(coalesce(error, '') != '') FROM syscalls"});
  ASSERT_EQ(count.exit_code, 0) << count.err;
  EXPECT_EQ(std::to_string(events) + "|" + std::to_string(warnings) + "\n", count.out);
  EXPECT_TRUE(saw_exec);
  // Without --logs the trace has none, and otherwise the same packets.
  EXPECT_EQ(testing::read_file(dir.file("p.pftrace")).find("execve(\"/usr/bin/cc\""), std::string::npos);
}

}  // namespace
}  // namespace proctrace
