#include "export/sqlite_export.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <thread>

#include "test_support.h"

namespace proctrace {
namespace {

using testing::fixture;
using testing::source_dir;
using testing::read_file;
using testing::run_proctrace;
using testing::TempDir;
using testing::write_file;

// Query results as "a|b\nc|d\n", as the sqlite3 shell prints them.
std::string query(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  std::string out;
  char* err = nullptr;
  auto row = [](void* o, int n, char** values, char**) {
    auto& s = *static_cast<std::string*>(o);
    for (int i = 0; i < n; ++i) s += std::string(i ? "|" : "") + (values[i] ? values[i] : "NULL");
    s += "\n";
    return 0;
  };
  if (sqlite3_exec(db, sql.c_str(), row, &out, &err) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << (err ? err : "?");
    sqlite3_free(err);
  }
  sqlite3_close(db);
  return out;
}

class SqliteExport : public ::testing::Test {
 protected:
  TempDir dir;
  std::string db = dir.file("runs.db");
  std::string small = fixture("export/small.jsonl");
};

TEST_F(SqliteExport, WritesEveryTableForARecording) {
  auto r = run_proctrace({"export", "--sqlite", db, "--label", "ci-42", small});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(query(db, "SELECT label, backend, host, command, processes, exec_segments, events, root_status, "
                      "started_at_ns - clock_offset_ns FROM recordings"),
            "ci-42|bpf|ci-runner|sh -c make|4|6|12|2|1000\n");
  EXPECT_EQ(query(db, "SELECT pid, ppid, program, command, exit_code, exit_signal, status, duration_ns "
                      "FROM processes ORDER BY pid"),
            "100|1|sh|sh -c make|2|NULL|2|9000\n"
            "101|100|make|make -j2|2|NULL|2|7500\n"
            "102|101|cc|cc -c a.c|1|NULL|1|5000\n"
            "103|101|make|make -j2|NULL|9|137|500\n");
  // parent_id links rows, not pids: pids are reused, process ids are not.
  EXPECT_EQ(query(db, "SELECT c.pid, p.pid FROM processes c JOIN processes p ON p.recording_id = c.recording_id "
                      "AND p.process_id = c.parent_id ORDER BY c.pid"),
            "101|100\n102|101\n103|101\n");
  EXPECT_EQ(query(db, "SELECT pid, segment, program, argv, inherited, start_ns, end_ns FROM exec_segments "
                      "WHERE pid = 102 ORDER BY segment"),
            "102|0|make|[\"make\",\"-j2\"]|1|4000|5000\n"
            "102|1|cc|[\"cc\",\"-c\",\"a.c\"]|0|5000|9000\n");
  EXPECT_EQ(query(db, "SELECT kind, count(*) FROM events GROUP BY kind ORDER BY kind"),
            "Exec|3\nExit|4\nFork|3\nSetPGID|1\nSetSID|1\n");
  EXPECT_EQ(query(db, "SELECT data FROM events WHERE seq = 0"),
            "{\"Exec\":{\"timestamp\":1000,\"pid\":100,\"ppid\":1,\"pgid\":100,\"sid\":100,\"cmdline\":[\"sh\",\"-c\","
            "\"make\"],\"filename\":\"/bin/sh\"}}\n");
}

TEST_F(SqliteExport, RecordingsAccumulateAndReExportIsSkipped) {
  // A second, different run: same processes, later, with make succeeding.
  std::string text = read_file(small);
  std::string other = dir.file("other.jsonl");
  std::string changed = text;
  changed.replace(changed.find("\"code\":2"), 8, "\"code\":0");
  write_file(other, changed);

  ASSERT_EQ(run_proctrace({"export", "--sqlite", db, "--label", "run-1", small}).exit_code, 0);
  auto again = run_proctrace({"export", "--sqlite", db, "--label", "run-1", small, other});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("already exported to"), std::string::npos) << again.err;
  EXPECT_EQ(query(db, "SELECT count(*), count(DISTINCT id), count(DISTINCT content_hash) FROM recordings"),
            "2|2|2\n");
  EXPECT_EQ(query(db, "SELECT count(*) FROM processes"), "8\n");
  EXPECT_EQ(query(db, "SELECT count(*) FROM events"), "24\n");
}

TEST_F(SqliteExport, UsageColumnsAreNullUnlessMeasuredAndOlderDatabasesGainThem) {
  // small.jsonl predates resource usage: its processes have none.
  ASSERT_EQ(run_proctrace({"export", "--sqlite", db, small}).exit_code, 0);
  EXPECT_EQ(query(db, "SELECT count(*) FROM processes WHERE cpu_user_ns IS NULL AND max_rss_kb IS NULL"), "4\n");
  // A database an older proctrace wrote: the processes table without them.
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
    for (const char* column : {"cpu_user_ns", "cpu_system_ns", "max_rss_kb", "voluntary_switches",
                               "involuntary_switches", "minor_faults", "major_faults", "read_chars", "write_chars",
                               "read_syscalls", "write_syscalls", "storage_read_bytes", "storage_write_bytes",
                               "cancelled_write_bytes"})
      ASSERT_EQ(sqlite3_exec(raw, (std::string("ALTER TABLE processes DROP COLUMN ") + column).c_str(), nullptr,
                             nullptr, nullptr),
                SQLITE_OK)
          << sqlite3_errmsg(raw);
    sqlite3_close(raw);
  }
  std::string text = read_file(small);
  text.replace(text.find("\"code\":1"), 8, "\"code\":1,\"cpu_user_ns\":7,\"cpu_system_ns\":2,\"max_rss_kb\":640");
  std::string measured = dir.file("measured.jsonl");
  write_file(measured, text);
  auto r = run_proctrace({"export", "--sqlite", db, measured});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(query(db, "SELECT pid, cpu_user_ns, cpu_system_ns, max_rss_kb, minor_faults FROM processes "
                      "WHERE max_rss_kb IS NOT NULL"),
            "102|7|2|640|NULL\n");
}

TEST_F(SqliteExport, OutOfOrderInputGivesTheSameRows) {
  // Reverse the event lines (keep Meta first, Stats last): the loader sorts.
  std::string text = read_file(small);
  std::vector<std::string> lines;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t nl = text.find('\n', pos);
    lines.push_back(text.substr(pos, nl - pos + 1));
    pos = nl + 1;
  }
  std::reverse(lines.begin() + 1, lines.end() - 1);
  std::string shuffled;
  for (auto& l : lines) shuffled += l;
  std::string path = dir.file("reversed.jsonl");
  write_file(path, shuffled);

  std::string db2 = dir.file("sorted.db");
  ASSERT_EQ(run_proctrace({"export", "--sqlite", db, small}).exit_code, 0);
  ASSERT_EQ(run_proctrace({"export", "--sqlite", db2, path}).exit_code, 0);
  const std::string rows =
      "SELECT pid, ppid, parent_id, start_ns, end_ns, exit_code, exit_signal, program FROM processes "
      "ORDER BY process_id";
  EXPECT_EQ(query(db, rows), query(db2, rows));
  const std::string segs = "SELECT process_id, segment, start_ns, end_ns, argv FROM exec_segments ORDER BY 1, 2";
  EXPECT_EQ(query(db, segs), query(db2, segs));
  EXPECT_EQ(query(db2, "SELECT count(*) FROM events"), "12\n");
}

TEST_F(SqliteExport, BadLinesAreReportedAndTheRestExported) {
  std::string text = read_file(small);
  std::string path = dir.file("bad.jsonl");
  write_file(path, text.substr(0, text.find("{\"Fork\"")) + "{\"Fork\":{\"timestamp\":\n" +
                       text.substr(text.find("{\"Fork\"")));
  auto r = run_proctrace({"export", "--sqlite", db, path});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("bad.jsonl:3"), std::string::npos) << r.err;
  EXPECT_EQ(query(db, "SELECT events FROM recordings"), "12\n");
}

TEST_F(SqliteExport, UnreadableInputOrDatabaseFailsClearly) {
  auto r = run_proctrace({"export", "--sqlite", db, dir.file("missing.jsonl"), small});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("missing.jsonl"), std::string::npos) << r.err;
  EXPECT_EQ(query(db, "SELECT count(*) FROM recordings"), "1\n");  // the good one still went in

  auto bad_db = run_proctrace({"export", "--sqlite", dir.file("no/such/dir/x.db"), small});
  EXPECT_EQ(bad_db.exit_code, 1);
  EXPECT_NE(bad_db.err.find("x.db"), std::string::npos) << bad_db.err;
  EXPECT_EQ(run_proctrace({"export", small}).exit_code, 2);
  // stdin is read once: it cannot feed two destinations.
  auto twice = run_proctrace({"export", "--sqlite", db, "--perfetto", dir.file("x.pftrace"), "-"}, read_file(small));
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_NE(twice.err.find("stdin"), std::string::npos) << twice.err;
  auto once = run_proctrace({"export", "--sqlite", dir.file("stdin.db"), "-"}, read_file(small));
  EXPECT_EQ(once.exit_code, 0) << once.err;
}

// Two CI jobs exporting the same recording into one database at the same
// time: one writes it, the other says it is already there. The test holds
// the write lock until both exporters are running, so they always overlap.
TEST_F(SqliteExport, ConcurrentExportsOfOneRecordingWriteItOnce) {
  std::string other = dir.file("other.jsonl");
  std::string text = read_file(small);
  write_file(other, text.replace(text.find("\"code\":2"), 8, "\"code\":0"));
  ASSERT_EQ(run_proctrace({"export", "--sqlite", db, other}).exit_code, 0);  // creates the schema

  sqlite3* lock = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &lock), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(lock, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  auto first = std::async(std::launch::async, [&] { return run_proctrace({"export", "--sqlite", db, small}); });
  auto second = std::async(std::launch::async, [&] { return run_proctrace({"export", "--sqlite", db, small}); });
  std::this_thread::sleep_for(std::chrono::seconds(2));
  ASSERT_EQ(sqlite3_exec(lock, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(lock);

  auto a = first.get(), b = second.get();
  EXPECT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(b.exit_code, 0) << b.err;
  const std::string both = a.err + b.err;
  EXPECT_EQ(both.find("UNIQUE"), std::string::npos) << both;
  EXPECT_NE(both.find("already exported to"), std::string::npos) << both;
  EXPECT_EQ(query(db, "SELECT count(*) FROM recordings"), "2\n");
  EXPECT_EQ(query(db, "SELECT count(*) FROM processes"), "8\n");
}

// The README's example queries must run against a real export and answer.
TEST_F(SqliteExport, ReadmeQueriesRun) {
  std::string readme = read_file(std::string(source_dir()) + "/README.md");
  std::size_t from = readme.find("<!-- export-sql-examples");
  ASSERT_NE(from, std::string::npos) << "README lost its SQL examples";
  ASSERT_EQ(run_proctrace({"export", "--sqlite", db, "--label", "ci-1", small}).exit_code, 0);
  int checked = 0;
  for (std::size_t pos = readme.find("```sql\n", from); pos != std::string::npos;
       pos = readme.find("```sql\n", pos)) {
    pos += 7;
    std::size_t end = readme.find("```", pos);
    std::string sql = readme.substr(pos, end - pos);
    EXPECT_FALSE(query(db, sql).empty()) << "no rows from README query:\n" << sql;
    ++checked;
  }
  EXPECT_GE(checked, 3);
}

}  // namespace
}  // namespace proctrace
