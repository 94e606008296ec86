// Runs every row of the README's drop-in table (strace-parser, systrument and
// original proctrace command lines beside proctrace's own), so the table a
// user copies from is true. Where the first column is a command line
// proctrace itself accepts (strace-parser's or the original proctrace's),
// both columns must print the same; every proctrace column must succeed.
#include <gtest/gtest.h>

#include <sstream>

#include "../export/loopback_http.h"
#include "record/privileges.h"
#include "test_support.h"

namespace proctrace::testing {
namespace {

struct Row {
  std::string theirs, ours;
};

std::vector<std::string> words(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// The first `code span` of a table cell.
std::string code_of(const std::string& cell) {
  std::size_t a = cell.find('`'), b = cell.find('`', a + 1);
  return a == std::string::npos || b == std::string::npos ? std::string() : cell.substr(a + 1, b - a - 1);
}

std::vector<Row> readme_rows() {
  std::string readme = read_file(std::string(source_dir()) + "/README.md");
  std::size_t begin = readme.find("<!-- drop-in table");
  std::size_t end = readme.find("<!-- end of drop-in table -->");
  EXPECT_NE(begin, std::string::npos);
  EXPECT_NE(end, std::string::npos);
  std::vector<Row> rows;
  std::istringstream lines(readme.substr(begin, end - begin));
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("| `", 0) != 0) continue;
    std::size_t mid = line.find(" | ", 2);
    rows.push_back({code_of(line.substr(0, mid)), code_of(line.substr(mid))});
  }
  return rows;
}

// Runs a table command line in `cwd`, its program replaced by this build's
// proctrace (strace-parser's and the original's lines are proctrace's too).
RunResult run_line(const std::string& cwd, std::vector<std::string> argv) {
  argv[0] = proctrace_binary();
  argv.insert(argv.begin(), {"sh", "-c", "cd \"$0\" && exec \"$@\"", cwd});
  return run(argv);
}

TEST(DropInTable, EveryRowOfTheReadmeRunsAndMatches) {
  std::vector<Row> rows = readme_rows();
  ASSERT_GE(rows.size(), 15u);
  TempDir dir;
  auto x = run({"sh", "-c", "xz -dc \"$0\" > \"$1\"", fixture("strace/make.fttTyyy.log.xz"), dir.file("trace.txt")});
  ASSERT_EQ(x.exit_code, 0) << x.err;
  write_file(dir.file("out.jsonl"), read_file(fixture("recordings/make.jsonl")));
  const bool can_record = !bpf_recording_blocker();
  // The OTLP row's collector: a loopback listener that accepts every batch.
  LoopbackHttp collector(LoopbackHttp::reply("200 OK", "{}", "Content-Type: application/json\r\n"));

  for (const Row& row : rows) {
    SCOPED_TRACE(row.theirs + "  =>  " + row.ours);
    std::vector<std::string> ours = words(row.ours);
    ASSERT_FALSE(ours.empty());
    ASSERT_EQ(ours[0], "proctrace");
    const bool records = ours.size() > 1 && ours[1] == "record";
    if (records && !can_record) continue;
    for (std::string& w : ours)
      if (w.rfind("http://127.0.0.1:", 0) == 0) w = "http://127.0.0.1:" + std::to_string(collector.port());
    RunResult mine = run_line(dir.path(), ours);
    EXPECT_EQ(mine.exit_code, 0) << mine.err;
    // It wrote something: its output file, or else stdout.
    std::string written;
    for (std::size_t i = 1; i + 1 < ours.size(); ++i)
      if (ours[i] == "-o" || ours[i] == "--perfetto") written = dir.file(ours[i + 1]);
    if (!written.empty()) {
      EXPECT_FALSE(read_file(written).empty()) << written;
    } else if (ours[1] != "export") {
      EXPECT_FALSE(mine.out.empty());
    }

    std::vector<std::string> theirs = words(row.theirs);
    if (theirs.empty() || (theirs[0] != "strace-parser" && theirs[0] != "proctrace")) continue;
    RunResult same = run_line(dir.path(), theirs);
    EXPECT_EQ(same.exit_code, 0) << same.err;
    if (records) {
      EXPECT_NE(same.err.find("ignored"), std::string::npos) << same.err;
      EXPECT_NE(read_file(dir.file("out.prof")).find("\"Exec\""), std::string::npos);
    } else {
      EXPECT_EQ(same.out, mine.out);
    }
  }
  // The strace2otel row's spans reached the collector: protobuf, OTLP's
  // default body, naming the log's processes (strings are stored as is).
  bool spans = false;
  for (const std::string& request : collector.requests())
    spans |= request.find("application/x-protobuf") != std::string::npos && request.find("make") != std::string::npos;
  EXPECT_TRUE(spans);
}

}  // namespace
}  // namespace proctrace::testing
