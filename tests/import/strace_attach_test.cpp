// A real `strace -f -p PID...` log (tests/fixtures/strace/attach.fttT.log.xz,
// see tests/fixtures/strace/README.md): processes that were already running
// when strace attached are seen only through their syscalls -- no clone,
// execve or exit of theirs is in the log. Every view and export must show
// the same processes, the ones the log's own lines name, and mark those
// whose start is unknown.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "import/strace_test_helpers.h"

namespace proctrace::testing {
namespace {

using nlohmann::json;
using Pids = std::set<long>;

// An independent count from the log's text: the pid prefix of every trace
// line (`with_lines`), and every pid a wait4 returned (`reaped`: a child
// already running and never traced can show only there).
struct LogPids {
  Pids with_lines, reaped;
  Pids all() const {
    Pids out = with_lines;
    out.insert(reaped.begin(), reaped.end());
    return out;
  }
};
LogPids pids_in_log(const std::string& text) {
  LogPids pids;
  std::istringstream in(text);
  std::string line;
  const std::regex reaped(R"(wait4[( ].*\) = ([0-9]+) <)");
  while (std::getline(in, line)) {
    if (line.empty() || !std::isdigit(static_cast<unsigned char>(line[0]))) continue;
    pids.with_lines.insert(std::stol(line));
    std::smatch m;
    if (std::regex_search(line, m, reaped)) pids.reaped.insert(std::stol(m[1]));
  }
  return pids;
}

class StraceAttach : public ::testing::Test {
 protected:
  void SetUp() override {
    log = unpack_strace_fixture("attach.fttT.log.xz", dir);
    in_log = pids_in_log(read_file(log));
    expected = in_log.all();
  }
  json view(std::vector<std::string> args) {
    args.push_back("--json");
    args.push_back(log);
    auto r = run_proctrace(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
  }
  TempDir dir;
  std::string log;
  LogPids in_log;
  Pids expected;
};

TEST_F(StraceAttach, TheLogNamesProcessesThatWereRunningBeforeIt) {
  // Three running programs (a sh loop, python with a second thread, perl)
  // and the sleeps the loop started while traced.
  EXPECT_EQ(expected.size(), 23u);
}

TEST_F(StraceAttach, ModelHasEveryProcessAndMarksTheAttachedOnes) {
  auto imported = import_files({log});
  Pids pids;
  std::size_t attached = 0, forked = 0;
  for (auto& p : imported->tree().processes()) {
    pids.insert(p.pid);
    attached += p.attached;
    forked += p.forked_in_recording;
    EXPECT_NE(p.attached, p.forked_in_recording) << p.pid;
  }
  EXPECT_EQ(pids, expected);
  EXPECT_EQ(imported->tree().size(), expected.size());
  EXPECT_EQ(forked, 18u);  // the sleeps: vfork'd and exec'd in the log
  EXPECT_EQ(attached, expected.size() - forked);
  // Every syscall belongs to a process.
  for (auto& r : *imported->table) EXPECT_NE(r.process, kNoProcess) << r.tid;
}

TEST_F(StraceAttach, TreeSummaryAndListPidsShowTheSameProcesses) {
  auto r = run_proctrace({"render", "-d", "tree", log});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Pids tree;
  std::size_t marked = 0;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    std::size_t digit = line.find_first_of("0123456789");
    ASSERT_NE(digit, std::string::npos) << line;
    tree.insert(std::stol(line.substr(digit)));
    marked += line.find("(already running at attach)") != std::string::npos;
  }
  EXPECT_EQ(tree, expected) << r.out;
  EXPECT_EQ(marked, 5u) << r.out;  // sh, python and its thread, perl, the reaped sleep
  // The sh loop is the parent of the sleeps it started; the log ended while
  // it waited for the last one, which the tree marks from the log's end state.
  std::size_t sh = r.out.find("[running] (already running at attach) ◀ alive when the log ended, waits for its child pid ");
  ASSERT_NE(sh, std::string::npos) << r.out;
  std::size_t sh_end = r.out.find('\n', sh);
  EXPECT_LT(r.out.find("(`sleep 0.05`)", sh), sh_end) << r.out;
  EXPECT_EQ(r.out.find("\n├─", sh), sh_end) << r.out;

  Pids summary;
  const json summary_json = view({"summary", "-c", "0"});
  for (auto& row : summary_json["processes"]) {
    summary.insert(row["pid"].get<long>());
    if (row["pid"] == *in_log.with_lines.begin()) EXPECT_EQ(row["command"], "(already running at attach)");
  }
  EXPECT_EQ(summary, expected);
  Pids listed;
  const json listed_json = view({"list-pids"});
  for (auto& row : listed_json["processes"]) listed.insert(row["pid"].get<long>());
  // list-pids lists the processes with calls: the sleep reaped untraced made none.
  EXPECT_EQ(in_log.with_lines.size(), expected.size() - 1);
  EXPECT_EQ(listed, in_log.with_lines);
}

TEST_F(StraceAttach, ARecordingWrittenFromTheLogKeepsThem) {
  std::string rec = dir.file("a.jsonl");
  auto sorted = run_proctrace({"sort", "-i", log, "-o", rec});
  ASSERT_EQ(sorted.exit_code, 0) << sorted.err;
  auto from_log = run_proctrace({"render", "-d", "tree", log});
  auto from_recording = run_proctrace({"render", "-d", "tree", rec});
  ASSERT_EQ(from_recording.exit_code, 0) << from_recording.err;
  // The same tree, but for the marks the log's end state adds: sort writes
  // no snapshot into a recording (docs/strace-import.md).
  std::string unmarked;
  std::istringstream in(from_log.out);
  for (std::string line; std::getline(in, line);) unmarked += line.substr(0, line.find(" ◀ ")) + "\n";
  EXPECT_NE(unmarked, from_log.out);
  EXPECT_EQ(from_recording.out, unmarked);
  EXPECT_NE(read_file(rec).find(R"({"Attached":{"timestamp":)"), std::string::npos);
}

TEST_F(StraceAttach, SqliteHasEveryProcessAndNoSyscallWithoutOne) {
  std::string db = dir.file("a.db");
  auto r = run_proctrace({"export", "--sqlite", db, log});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto q = [&](const std::string& sql) {
    auto out = run({"sqlite3", db, sql});
    EXPECT_EQ(out.exit_code, 0) << sql << ": " << out.err;
    return out.out;
  };
  std::string pids;
  for (long pid : expected) pids += std::to_string(pid) + "\n";
  EXPECT_EQ(q("SELECT pid FROM processes ORDER BY pid"), pids);
  EXPECT_EQ(q("SELECT count(*) FROM syscalls WHERE process_id IS NULL"), "0\n");
  EXPECT_EQ(q("SELECT count(*) FROM syscalls s LEFT JOIN processes p ON p.recording_id = s.recording_id AND "
              "p.process_id = s.process_id WHERE p.pid IS NULL OR p.pid != s.pid"),
            "0\n");
  // Marked by their Attached event, and not forked in the recording.
  EXPECT_EQ(q("SELECT count(*) FROM events e JOIN processes p ON p.process_id = e.process_id "
              "WHERE e.kind = 'Attached' AND p.forked_in_recording = 0"),
            "5\n");
}

TEST_F(StraceAttach, PerfettoHasATrackForEveryProcess) {
  if (run({"protoc", "--version"}).exit_code != 0) GTEST_SKIP() << "protoc is not installed";
  std::string out = dir.file("a.pftrace");
  ASSERT_EQ(run_proctrace({"export", "--perfetto", out, log}).exit_code, 0);
  auto r = run({"protoc", "--decode=perfetto.protos.Trace",
                "--proto_path=" + std::string(source_dir()) + "/tests/export",
                std::string(source_dir()) + "/tests/export/perfetto_trace.proto"},
               read_file(out));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Pids tracks;
  std::size_t marked = 0;
  const std::regex track("name: \"pid ([0-9]+)( \\(already running at attach\\))?\"");
  for (std::sregex_iterator it(r.out.begin(), r.out.end(), track), end; it != end; ++it) {
    tracks.insert(std::stol((*it)[1]));
    marked += (*it)[2].matched;
  }
  EXPECT_EQ(tracks, expected);
  EXPECT_EQ(marked, 5u);
  // Every syscall slice is on a thread track, under one of these processes.
  std::size_t calls = 0;
  for (std::size_t pos = r.out.find("categories: \"syscall\""); pos != std::string::npos;
       pos = r.out.find("categories: \"syscall\"", pos + 1))
    ++calls;
  auto imported = import_files({log});
  EXPECT_EQ(calls, imported->table->size());
}

}  // namespace
}  // namespace proctrace::testing
