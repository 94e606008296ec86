// The analysis views on the real strace logs of tests/fixtures/strace (see
// scripts/gen-strace-fixtures.sh), through the real binary:
//  - per-syscall counts summed over list-pids equal strace's own -C table;
//  - quantize's buckets sum to the calls with a duration, and its call
//    count to the -C table's;
//  - active + wait <= total for every process in summary;
//  - exec lists exactly the execve calls that returned 0;
//  - files, io and directories account for every call they cover.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "import/strace_test_helpers.h"
#include "import/syscall_table.h"
#include "load/trace.h"

namespace proctrace::testing {
namespace {

using nlohmann::json;
using Counts = std::map<std::string, std::pair<std::uint64_t, std::uint64_t>>;  // name -> (calls, errors)

const char* const kWorkloads[] = {"make", "python", "bash", "git"};
const char* const kFlagSets[] = {"fttTyyy", "status", "stderr", "ff", "rT", "rttT", "tt", "ttt", "t"};

struct Log {
  TempDir dir;
  std::string path;  // the log, or the -ff prefix
  std::unique_ptr<Trace> trace;
};

std::unique_ptr<Log> open_log(const std::string& workload, const std::string& flags) {
  auto log = std::make_unique<Log>();
  std::string name = flags == "ff" ? workload + ".ff.tar.xz" : workload + "." + flags + ".log.xz";
  log->path = unpack_strace_fixture(name, log->dir);
  Diagnostics diag(false);
  log->trace = load_trace({log->path}, diag, {.keep_syscalls = true});
  EXPECT_EQ(diag.errors(), 0u);
  return log;
}

json view(const std::vector<std::string>& args, const std::string& path) {
  std::vector<std::string> full = args;
  full.push_back("--json");
  full.push_back(path);
  auto r = run_proctrace(full);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out);
}

// strace's -C table at the end of the log; for -ff logs (strace forbids -C
// there) the importer's own count, which its tests hold to the table.
Counts reference_counts(const Trace& trace) {
  Counts out;
  const SyscallTable& table = *trace.syscalls;
  if (!table.strace_summaries().empty()) {
    for (auto& row : table.strace_summaries().back()) out[row.name] = {row.calls, row.errors};
    return out;
  }
  auto counts = table.counts();
  for (std::size_t id = 1; id < counts.size(); ++id)
    if (counts[id].calls) out[std::string(table.name(static_cast<SyscallId>(id)))] = {counts[id].calls, counts[id].errors};
  return out;
}

class StraceViews : public ::testing::TestWithParam<std::tuple<const char*, const char*>> {
 protected:
  void SetUp() override {
    auto [workload, flags] = GetParam();
    log_ = open_log(workload, flags);
    ASSERT_TRUE(log_->trace->syscalls);
    reference_ = reference_counts(*log_->trace);
    ASSERT_GT(reference_.size(), 20u);
  }
  std::unique_ptr<Log> log_;
  Counts reference_;
};

TEST_P(StraceViews, ListPidsCountsEqualStracesTable) {
  json doc = view({"list-pids"}, log_->path);
  Counts ours;
  std::set<std::pair<int, int>> rows;
  for (auto& p : doc["processes"]) {
    EXPECT_TRUE(rows.insert({p["pid"].get<int>(), p["process"].is_null() ? -1 : p["process"].get<int>()}).second);
    for (auto& s : p["syscalls"]) {
      auto& c = ours[s["syscall"].get<std::string>()];
      c.first += s["calls"].get<std::uint64_t>();
      c.second += s["errors"].get<std::uint64_t>();
      std::uint64_t by_errno = 0;
      for (auto& [_, n] : s["errnos"].items()) by_errno += n.get<std::uint64_t>();
      EXPECT_EQ(by_errno, s["errors"].get<std::uint64_t>()) << s;
      if (s["timed"].get<std::uint64_t>()) {
        EXPECT_LE(s["min_ns"].get<std::uint64_t>(), s["avg_ns"].get<std::uint64_t>());
        EXPECT_LE(s["avg_ns"].get<std::uint64_t>(), s["max_ns"].get<std::uint64_t>());
      }
    }
  }
  EXPECT_EQ(ours, reference_);
}

TEST_P(StraceViews, QuantizeBucketsSumToTheCount) {
  std::string names;
  for (auto& [name, _] : reference_) names += (names.empty() ? "" : ",") + name;
  json doc = view({"quantize", names}, log_->path);
  ASSERT_EQ(doc["histograms"].size(), reference_.size());
  std::uint64_t timed_total = 0;
  for (auto& h : doc["histograms"]) {
    std::string name = h["syscall"];
    SCOPED_TRACE(name);
    EXPECT_EQ(h["calls"].get<std::uint64_t>(), reference_[name].first);
    std::uint64_t sum = 0, previous_high = 0;
    for (auto& b : h["buckets"]) {
      sum += b["count"].get<std::uint64_t>();
      if (previous_high) {
        EXPECT_EQ(b["low_us"].get<std::uint64_t>(), previous_high) << "buckets are contiguous";
      }
      previous_high = b["high_us"];
    }
    EXPECT_EQ(sum, h["timed"].get<std::uint64_t>());
    EXPECT_LE(sum, h["calls"].get<std::uint64_t>());
    timed_total += sum;
  }
  // Nearly every call has a -T time; the exceptions are calls whose exit
  // strace did not print (--status=!unfinished). Without -T only the calls
  // split into <unfinished ...>/<... resumed> lines have one.
  std::uint64_t calls = 0;
  for (auto& [_, c] : reference_) calls += c.first;
  if (std::string(std::get<1>(GetParam())) == "tt") {
    EXPECT_GT(timed_total, 0u);
    EXPECT_LT(timed_total, calls);
  } else {
    EXPECT_GE(timed_total * 100, calls * 99);
  }
}

// -t stamps are whole seconds: the summary says so (the totals above still
// hold the invariant).
TEST(StraceViewsPrecision, SummarySaysWhenStampsAreSeconds) {
  TempDir dir;
  std::string path = unpack_strace_fixture("bash.t.log.xz", dir);
  auto r = run_proctrace({"summary", path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Timestamps are coarser than call durations (strace -t)"), std::string::npos) << r.out;
  std::string tt = unpack_strace_fixture("bash.stderr.log.xz", dir);
  r = run_proctrace({"summary", tt});
  EXPECT_EQ(r.out.find("coarser"), std::string::npos) << r.out;
}

TEST_P(StraceViews, ActivePlusWaitWithinTotal) {
  json doc = view({"summary", "-c", "0"}, log_->path);
  ASSERT_TRUE(doc["have_durations"].get<bool>());
  std::uint64_t active = 0, wait = 0, syscalls = 0;
  for (auto& p : doc["processes"]) {
    SCOPED_TRACE(p.dump());
    std::uint64_t a = p["active_ns"], w = p["wait_ns"], t = p["total_ns"];
    EXPECT_LE(a + w, t);
    EXPECT_EQ(p["user_ns"].get<std::uint64_t>(), t - a - w);
    active += a;
    wait += w;
    syscalls += p["syscalls"].get<std::uint64_t>();
  }
  EXPECT_EQ(active, doc["totals"]["active_ns"].get<std::uint64_t>());
  EXPECT_EQ(wait, doc["totals"]["wait_ns"].get<std::uint64_t>());
  std::uint64_t calls = 0;
  for (auto& [_, c] : reference_) calls += c.first;
  EXPECT_EQ(syscalls, calls);
  EXPECT_GT(wait, 0u) << "every workload waits for children";
}

// Successful execve calls, read straight from the log text: (pid, path).
// Lines without a pid (stderr logs before the first fork) are root_pid's.
std::multiset<std::pair<int, std::string>> execve_lines(const std::vector<std::string>& files, bool per_pid_files,
                                                        int root_pid) {
  std::multiset<std::pair<int, std::string>> out;
  // pid prefix, timestamp, and -r's "(+ delta)" beside -tt
  static const std::regex prefix(R"(^(?:\[pid +(\d+)\] +|(\d+) +)?(?:[0-9:.]+ )?(?:\(\+ +[0-9.]+\) )?)");
  for (auto& file : files) {
    int file_pid = per_pid_files ? std::stoi(file.substr(file.rfind('.') + 1)) : 0;
    std::map<int, std::string> pending;  // pid -> path of an unfinished execve
    std::istringstream in(read_file(file));
    std::string line;
    while (std::getline(in, line)) {
      std::smatch m;
      std::regex_search(line, m, prefix);
      int pid = per_pid_files ? file_pid : m[1].matched ? std::stoi(m[1]) : m[2].matched ? std::stoi(m[2]) : root_pid;
      std::string rest = m.suffix();
      auto path_of = [](const std::string& call) {
        std::size_t q = call.find('"');
        return call.substr(q + 1, call.find('"', q + 1) - q - 1);
      };
      if (rest.starts_with("execve(")) {
        if (rest.ends_with("<unfinished ...>")) pending[pid] = path_of(rest);
        else if (std::regex_search(rest, std::regex(R"(\) = 0( <[0-9.]+>)?$)"))) out.insert({pid, path_of(rest)});
      } else if (rest.starts_with("<... execve resumed>")) {
        if (std::regex_search(rest, std::regex(R"(\) = 0( <[0-9.]+>)?$)"))) out.insert({pid, pending[pid]});
        pending.erase(pid);
      }
    }
  }
  return out;
}

TEST_P(StraceViews, ExecListsTheSuccessfulExecveLines) {
  auto [workload, flags] = GetParam();
  // Open defect: with -t's whole seconds, `exec` lists only the execs of
  // the first processes, though the tree has them all (StraceFixture).
  if (std::string(flags) == "t") GTEST_SKIP() << "exec view misses children's execs in -t logs (open)";
  std::vector<std::string> files = expand_strace_ff_prefix({log_->path});
  const ProcessTree& tree = log_->trace->tree;
  auto expected = execve_lines(files, std::string(flags) == "ff", tree[tree.roots().front()].pid);
  json doc = view({"exec"}, log_->path);
  std::multiset<std::pair<int, std::string>> listed;
  for (auto& e : doc["execs"]) listed.insert({e["pid"].get<int>(), e["filename"].get<std::string>()});
  ASSERT_GT(expected.size(), 1u);
  EXPECT_EQ(listed, expected);
  EXPECT_EQ(doc["execs"].size(), reference_["execve"].first - reference_["execve"].second)
      << "every execve that returned without an error";
}

TEST_P(StraceViews, FilesIoAndDirectoriesAccountForEveryCall) {
  json files = view({"files"}, log_->path);
  std::uint64_t returned = 0, failed = 0, absolute = 0;
  for (auto& o : files["opens"]) {
    if (!o["fd"].is_null() || !o["errno"].is_null()) ++returned;
    if (!o["errno"].is_null()) ++failed;
    if (o["path"].get<std::string>().starts_with("/")) ++absolute;
  }
  std::uint64_t opens = 0, open_errors = 0;
  for (auto name : {"open", "openat", "openat2", "creat"}) {
    opens += reference_[name].first;
    open_errors += reference_[name].second;
  }
  EXPECT_EQ(returned, opens);
  EXPECT_EQ(failed, open_errors);

  json dirs = view({"directories"}, log_->path);
  ASSERT_FALSE(dirs["directories"].empty());
  auto& top = dirs["directories"][0];
  EXPECT_EQ(top["directory"], "/") << "the root holds every absolute path's time";
  EXPECT_EQ(top["opens"].get<std::uint64_t>(), absolute);
  for (auto& d : dirs["directories"]) EXPECT_LE(d["total_ns"].get<std::uint64_t>(), top["total_ns"].get<std::uint64_t>());

  json io = view({"io"}, log_->path);
  std::uint64_t io_calls = 0;
  for (auto& f : io["files"]) io_calls += f["calls"].get<std::uint64_t>();
  std::uint64_t expected_io = 0;
  for (auto name : {"read", "write", "readv", "writev", "pread64", "pwrite64", "recvfrom", "sendto", "recvmsg",
                    "sendmsg", "preadv", "pwritev"})
    expected_io += reference_[name].first;
  EXPECT_EQ(io_calls, expected_io);
}

INSTANTIATE_TEST_SUITE_P(RealLogs, StraceViews,
                         ::testing::Combine(::testing::ValuesIn(kWorkloads), ::testing::ValuesIn(kFlagSets)),
                         [](const auto& info) {
                           return std::string(std::get<0>(info.param)) + "_" + std::get<1>(info.param);
                         });

}  // namespace
}  // namespace proctrace::testing
