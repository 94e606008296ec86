// Real strace logs (made here by strace) through the exports: the syscalls
// table and the syscall slices on thread tracks.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "test_support.h"

namespace proctrace {
namespace {

using testing::run;
using testing::source_dir;
using testing::run_proctrace;
using testing::TempDir;

std::string query(const std::string& db_path, const std::string& sql) {
  auto r = run({"sqlite3", db_path, sql});
  EXPECT_EQ(r.exit_code, 0) << sql << ": " << r.err;
  return r.out;
}

class StraceExport : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = run({"strace", "-f", "-ttt", "-T", "-o", log, "sh", "-c", "ls / > /dev/null; exit 3"});
    if (r.exit_code == 127 || r.err.find("ptrace") != std::string::npos)
      GTEST_SKIP() << "strace cannot trace here: " << r.err;
    ASSERT_EQ(r.exit_code, 3) << r.err;
  }
  TempDir dir;
  std::string log = dir.file("sh.strace");
};

TEST_F(StraceExport, SyscallsTableJoinsItsProcesses) {
  std::string db = dir.file("s.db");
  auto r = run_proctrace({"export", "--sqlite", db, log});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(query(db, "SELECT backend, processes FROM recordings"), "strace-import|2\n");
  // Every syscall the log has (its lines minus the exit and signal lines),
  // each tied to its process.
  EXPECT_EQ(query(db, "SELECT count(*) = count(process_id) AND count(*) = max(syscalls) AND count(*) > 20 "
                      "FROM syscalls, recordings"),
            "1\n");
  EXPECT_EQ(query(db, "SELECT p.program, s.result FROM syscalls s JOIN processes p ON p.recording_id = "
                      "s.recording_id AND p.process_id = s.process_id WHERE s.name = 'execve' ORDER BY s.start_ns"),
            "sh|0\nls|0\n");
  EXPECT_EQ(query(db, "SELECT p.exit_code, s.args FROM syscalls s JOIN processes p ON p.process_id = s.process_id "
                      "WHERE s.name = 'exit_group' AND p.program = 'sh'"),
            "3|3\n");
  EXPECT_EQ(query(db, "SELECT count(*) FROM syscalls WHERE duration_ns IS NULL AND name != 'exit_group'"), "0\n");
  EXPECT_NE(query(db, "SELECT count(*) FROM syscalls WHERE error = 'ENOENT'"), "");
}

TEST_F(StraceExport, SyscallsAreSlicesOnThreadTracksUnderTheirProcess) {
  if (run({"protoc", "--version"}).exit_code != 0) GTEST_SKIP() << "protoc is not installed";
  std::string out = dir.file("s.pftrace");
  ASSERT_EQ(run_proctrace({"export", "--perfetto", out, log}).exit_code, 0);
  auto r = run({"protoc", "--decode=perfetto.protos.Trace",
                "--proto_path=" + std::string(source_dir()) + "/tests/export",
                std::string(source_dir()) + "/tests/export/perfetto_trace.proto"},
               testing::read_file(out));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string& text = r.out;
  auto count = [&](const std::string& s) {
    std::size_t n = 0;
    for (std::size_t pos = text.find(s); pos != std::string::npos; pos = text.find(s, pos + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("    thread {"), 2u);  // one thread track per traced thread
  EXPECT_GT(count("categories: \"syscall\""), 20u);
  EXPECT_EQ(count("TYPE_SLICE_BEGIN"), count("TYPE_SLICE_END"));  // every call returned but exit_group (instants)
  EXPECT_EQ(count("name: \"exit_group\""), 2u);
  EXPECT_GT(count("name: \"execve\""), 1u);
  // Thread tracks hang under process tracks: their parent_uuid is a process track's uuid.
  std::size_t thread = text.find("    thread {");
  std::size_t parent = text.rfind("parent_uuid: ", thread);
  ASSERT_NE(parent, std::string::npos);
  std::string uuid = text.substr(parent + 13, text.find('\n', parent) - parent - 13);
  EXPECT_NE(text.find("uuid: " + uuid + "\n    name: \"pid "), std::string::npos) << uuid;
}

}  // namespace
}  // namespace proctrace
