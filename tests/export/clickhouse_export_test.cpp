// Against a real clickhouse-server (Debian's package), started on loopback
// by scripts/clickhouse-test-server.sh for this suite.
#include "export/clickhouse_export.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "test_support.h"

namespace proctrace {
namespace {

using testing::fixture;
using testing::source_dir;
using testing::read_file;
using testing::run;
using testing::run_proctrace;
using testing::TempDir;
using testing::write_file;

class ClickHouseExport : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    auto r = run({std::string(source_dir()) + "/scripts/clickhouse-test-server.sh", dir_->file("server")});
    if (r.exit_code == 77) {
      skip_reason_ = "clickhouse-server not installable here: " + r.err;
      return;
    }
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::istringstream(r.out) >> pid_ >> port_;
  }
  static void TearDownTestSuite() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      for (int i = 0; i < 100 && kill(pid_, 0) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      kill(pid_, SIGKILL);
    }
    delete dir_;
  }

  void SetUp() override {
    if (!skip_reason_.empty()) GTEST_SKIP() << skip_reason_;
    ASSERT_GT(port_, 0);
    // A database per test keeps the tests independent on one server.
    std::string name = std::string("t_") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    sql("DROP DATABASE IF EXISTS " + name);
    sql("CREATE DATABASE " + name);
    database_ = name;
  }

  std::string server() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }
  std::string url() const { return server() + "?database=" + database_; }
  std::string sql(const std::string& q) {
    HttpClient http;
    HttpResponse r = http.post(server() + "?database=" + (database_.empty() ? "default" : database_), q, "text/plain");
    EXPECT_TRUE(r.ok()) << q << ": " << r.body;
    return r.body;
  }

  static inline TempDir* dir_ = nullptr;
  static inline int pid_ = 0;
  static inline int port_ = 0;
  static inline std::string skip_reason_;
  std::string database_;
  TempDir tmp;
  std::string small = fixture("export/small.jsonl");
};

TEST_F(ClickHouseExport, CreatesTablesAndExportsRowsThatJoin) {
  std::string other = tmp.file("other.jsonl");
  std::string text = read_file(small);
  text.replace(text.find("\"code\":2"), 8, "\"code\":0");
  write_file(other, text);

  auto r = run_proctrace({"export", "--clickhouse", url(), "--label", "ci-7", small, other});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(sql("SELECT count() FROM recordings"), "2\n");
  EXPECT_EQ(sql("SELECT count() FROM processes"), "8\n");
  EXPECT_EQ(sql("SELECT count() FROM exec_segments"), "12\n");
  EXPECT_EQ(sql("SELECT kind, count() FROM events GROUP BY kind ORDER BY kind FORMAT TSV"),
            "Exec\t6\nExit\t8\nFork\t6\nSetPGID\t2\nSetSID\t2\n");
  // Failed processes per run (18.16 takes one JOIN per query).
  EXPECT_EQ(sql("SELECT r.label, r.source = '" + small + "' AS first, p.pid, p.command "
                "FROM processes AS p INNER JOIN recordings AS r ON r.id = p.recording_id "
                "WHERE p.exit_code != 0 OR p.exit_signal IS NOT NULL "
                "ORDER BY first, p.pid FORMAT TSV"),
            "ci-7\t0\t100\tsh -c make\n"
            "ci-7\t0\t102\tcc -c a.c\n"
            "ci-7\t0\t103\tmake -j2\n"
            "ci-7\t1\t100\tsh -c make\n"
            "ci-7\t1\t101\tmake -j2\n"
            "ci-7\t1\t102\tcc -c a.c\n"
            "ci-7\t1\t103\tmake -j2\n");
  // ... and who spawned them: parent_id joins to the parent's process_id.
  EXPECT_EQ(sql("SELECT c.pid, p.command FROM processes AS c "
                "INNER JOIN processes AS p ON p.recording_id = c.recording_id AND p.process_id = c.parent_id "
                "WHERE c.exit_code != 0 ORDER BY c.pid FORMAT TSV"),
            "101\tsh -c make\n102\tmake -j2\n102\tmake -j2\n");
  EXPECT_EQ(sql("SELECT label, processes, events, root_status FROM recordings WHERE source = '" + small +
                "' FORMAT TSV"),
            "ci-7\t4\t12\t2\n");

  auto again = run_proctrace({"export", "--clickhouse", url(), small});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("skipped"), std::string::npos) << again.err;
  EXPECT_EQ(sql("SELECT count() FROM events"), "24\n");
}

TEST_F(ClickHouseExport, SameRowsAsSqlite) {
  std::string db = tmp.file("x.db");
  ASSERT_EQ(run_proctrace({"export", "--clickhouse", url(), "--sqlite", db, small}).exit_code, 0);
  auto lite = run({"sqlite3", "-separator", "\t", db,
                   "SELECT r.id, p.pid, p.program, p.start_ns, ifnull(p.end_ns, '\\N') FROM processes AS p "
                   "JOIN recordings AS r ON r.id = p.recording_id ORDER BY p.pid"});
  ASSERT_EQ(lite.exit_code, 0) << lite.err;
  EXPECT_EQ(sql("SELECT r.id, p.pid, p.program, p.start_ns, p.end_ns FROM processes AS p INNER JOIN recordings AS r "
                "ON r.id = p.recording_id ORDER BY p.pid FORMAT TSV"),
            lite.out);
}

TEST_F(ClickHouseExport, RowsOfAnInterruptedExportAreReplaced) {
  // A previous export died after flushing events but before its recordings row.
  ASSERT_EQ(run_proctrace({"export", "--clickhouse", url(), small}).exit_code, 0);
  std::string id = sql("SELECT id FROM recordings");
  id.pop_back();
  sql("INSERT INTO events SELECT * FROM events WHERE recording_id = " + id);
  sql("ALTER TABLE recordings DELETE WHERE id = " + id);
  for (int i = 0; i < 50 && sql("SELECT count() FROM recordings") != "0\n"; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_EQ(sql("SELECT count() FROM events"), "24\n");

  ASSERT_EQ(run_proctrace({"export", "--clickhouse", url(), small}).exit_code, 0);
  std::string events;
  for (int i = 0; i < 50 && (events = sql("SELECT count() FROM events")) != "12\n"; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(events, "12\n");
  EXPECT_EQ(sql("SELECT count() FROM recordings"), "1\n");
}

TEST_F(ClickHouseExport, StraceSyscallsGoToTheirTable) {
  std::string log = tmp.file("sh.strace");
  auto traced = run({"strace", "-f", "-ttt", "-T", "-o", log, "sh", "-c", "ls / > /dev/null; exit 3"});
  if (traced.exit_code != 3) GTEST_SKIP() << "strace cannot trace here: " << traced.err;
  std::string db = tmp.file("s.db");
  ASSERT_EQ(run_proctrace({"export", "--clickhouse", url(), "--sqlite", db, log}).exit_code, 0);
  auto lite = run({"sqlite3", db, "SELECT count(*) FROM syscalls"});
  EXPECT_EQ(sql("SELECT count() FROM syscalls"), lite.out);
  EXPECT_EQ(sql("SELECT p.program, s.result FROM syscalls AS s INNER JOIN processes AS p "
                "ON p.recording_id = s.recording_id AND p.process_id = s.process_id "
                "WHERE s.name = 'execve' ORDER BY s.start_ns FORMAT TSV"),
            "sh\t0\nls\t0\n");
}

TEST_F(ClickHouseExport, ServerErrorsAreReported) {
  auto r = run_proctrace({"export", "--clickhouse", server() + "?database=no_such_db", small});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no_such_db"), std::string::npos) << r.err;

  // Nothing listens on port 1: retried with back-off, then a clear failure.
  auto down = run_proctrace({"export", "--clickhouse", "http://127.0.0.1:1/", small});
  EXPECT_EQ(down.exit_code, 1);
  EXPECT_NE(down.err.find("ClickHouse unreachable after 5 attempts"), std::string::npos) << down.err;
}

}  // namespace
}  // namespace proctrace
