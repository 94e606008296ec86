// The real eBPF recordings (tests/fixtures/recordings) through every file
// export: each must agree with the process model the loader builds.
#include <gtest/gtest.h>

#include <filesystem>

#include "load/trace.h"
#include "test_support.h"

namespace proctrace {
namespace {

using testing::fixture;
using testing::source_dir;
using testing::run;
using testing::run_proctrace;
using testing::TempDir;

std::vector<std::string> recordings() {
  std::vector<std::string> paths;
  for (auto& e : std::filesystem::directory_iterator(fixture("recordings")))
    if (e.path().extension() == ".jsonl") paths.push_back(e.path().string());
  std::sort(paths.begin(), paths.end());
  return paths;
}

std::string sql_quote(const std::string& text) {
  std::string q = "'";
  for (char c : text) q += c == '\'' ? std::string("''") : std::string(1, c);
  return q + "'";
}

std::string query(const std::string& db, const std::string& sql) {
  auto r = run({"sqlite3", db, sql});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

TEST(RealRecordings, SqliteRowsMatchTheModel) {
  auto paths = recordings();
  ASSERT_GE(paths.size(), 5u);
  TempDir dir;
  std::string db = dir.file("all.db");
  std::vector<std::string> args{"export", "--sqlite", db, "--label", "fixtures"};
  args.insert(args.end(), paths.begin(), paths.end());
  auto r = run_proctrace(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(query(db, "SELECT count(*) FROM recordings"), std::to_string(paths.size()) + "\n");

  for (auto& path : paths) {
    SCOPED_TRACE(path);
    Diagnostics diag(false);
    auto trace = load_trace({path}, diag);
    std::size_t segments = 0, failed = 0, open = 0;
    for (auto& p : trace->tree.processes()) {
      segments += p.segments.size();
      failed += p.exit.known() && !p.exit.success();
      open += !p.end;
    }
    const std::string rec = "(SELECT id FROM recordings WHERE source = '" + path + "')";
    EXPECT_EQ(query(db, "SELECT count(*) FROM processes WHERE recording_id = " + rec),
              std::to_string(trace->tree.size()) + "\n");
    EXPECT_EQ(query(db, "SELECT count(*) FROM exec_segments WHERE recording_id = " + rec),
              std::to_string(segments) + "\n");
    EXPECT_EQ(query(db, "SELECT count(*) FROM events WHERE recording_id = " + rec),
              std::to_string(trace->events.size()) + "\n");
    EXPECT_EQ(query(db, "SELECT count(*) FROM processes WHERE recording_id = " + rec +
                            " AND (exit_code != 0 OR exit_signal IS NOT NULL)"),
              std::to_string(failed) + "\n");
    EXPECT_EQ(query(db, "SELECT count(*) FROM processes WHERE recording_id = " + rec + " AND end_ns IS NULL"),
              std::to_string(open) + "\n");
    // Every parent link points at a process of the same recording.
    EXPECT_EQ(query(db, "SELECT count(*) FROM processes c LEFT JOIN processes p ON p.recording_id = "
                        "c.recording_id AND p.process_id = c.parent_id WHERE c.recording_id = " +
                            rec + " AND c.parent_id IS NOT NULL AND p.pid != c.ppid"),
              "0\n");
  }
  // argv survives byte for byte (quotes, newlines, non-ASCII in special_argv).
  Diagnostics diag(false);
  auto special = load_trace({fixture("recordings/special_argv.jsonl")}, diag);
  for (auto& p : special->tree.processes())
    for (auto& s : p.segments) {
      if (s.inherited) continue;
      EXPECT_EQ(query(db, "SELECT count(*) FROM exec_segments WHERE command = " + sql_quote(join_argv(s.argv))),
                "1\n")
          << join_argv(s.argv);
    }
}

TEST(RealRecordings, PerfettoHasATrackPerProcess) {
  TempDir dir;
  for (auto& path : recordings()) {
    SCOPED_TRACE(path);
    auto r = run_proctrace({"export", "--perfetto", dir.file("x.pftrace"), path});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    if (run({"protoc", "--version"}).exit_code != 0) continue;
    auto d = run({"protoc", "--decode=perfetto.protos.Trace",
                  "--proto_path=" + std::string(source_dir()) + "/tests/export",
                  std::string(source_dir()) + "/tests/export/perfetto_trace.proto"},
                 testing::read_file(dir.file("x.pftrace")));
    EXPECT_EQ(d.exit_code, 0) << d.err;
    Diagnostics diag(false);
    auto trace = load_trace({path}, diag);
    std::size_t tracks = 0;
    for (std::size_t pos = d.out.find("track_descriptor {"); pos != std::string::npos;
         pos = d.out.find("track_descriptor {", pos + 1))
      ++tracks;
    // One track per process, and one counter track of processes working.
    std::size_t counters = 0;
    for (std::size_t pos = d.out.find("name: \"processes working\""); pos != std::string::npos;
         pos = d.out.find("name: \"processes working\"", pos + 1))
      ++counters;
    EXPECT_EQ(counters, 1u);
    EXPECT_EQ(tracks - counters, trace->tree.size());
  }
}

}  // namespace
}  // namespace proctrace
