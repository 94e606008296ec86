// Valid but extreme recordings through every view and export: a 100k-deep
// fork chain (recursion over the tree must not exhaust the stack), 100k
// children of one process, one pid reused 50k times, and values at the edges
// of their types (the sanitizer build turns overflow into a failure). All
// lines are valid, so every command must succeed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>

#include "bounded_run.h"
#include "io/diagnostics.h"
#include "render/renderer.h"
#include "test_support.h"

namespace proctrace::testing {
namespace {

using namespace std::chrono_literals;

std::string fork_line(std::uint64_t ts, long parent, long child) {
  return "{\"Fork\":{\"timestamp\":" + std::to_string(ts) + ",\"parent_pid\":" + std::to_string(parent) +
         ",\"child_pid\":" + std::to_string(child) + ",\"parent_pgid\":1}}\n";
}
std::string exec_line(std::uint64_t ts, long pid, const std::string& argv0) {
  return "{\"Exec\":{\"timestamp\":" + std::to_string(ts) + ",\"pid\":" + std::to_string(pid) +
         ",\"ppid\":1,\"pgid\":1,\"cmdline\":[\"" + argv0 + "\",\"x\"],\"filename\":\"/bin/" + argv0 +
         "\",\"truncated\":false}}\n";
}
std::string exit_line(std::uint64_t ts, long pid, int code) {
  return "{\"Exit\":{\"timestamp\":" + std::to_string(ts) + ",\"pid\":" + std::to_string(pid) +
         ",\"ppid\":1,\"pgid\":1,\"code\":" + std::to_string(code) + ",\"signal\":null,\"core_dumped\":false}}\n";
}

// Every way a trace leaves the program: sort, each `render -d` format, export.
std::vector<std::vector<std::string>> every_output(const TempDir& dir) {
  std::vector<std::vector<std::string>> commands = {{"sort", "-o", dir.file("sorted")},
                                                    {"sort", "-m", "process", "-o", dir.file("by-process")}};
  for (auto& [name, info] : renderers()) commands.push_back({"render", "-d", name, "-o", dir.file("render-" + name)});
  commands.push_back({"export", "--sqlite", dir.file("export.db")});
  return commands;
}

void expect_every_output_succeeds(const std::string& input) {
  TempDir out;
  for (auto args : every_output(out)) {
    args.push_back(input);
    auto r = run_proctrace_bounded(args, 300s);
    SCOPED_TRACE(::testing::PrintToString(args) + "\nstderr: " + r.err.substr(0, 4000));
    EXPECT_FALSE(r.timed_out) << "hung";
    EXPECT_EQ(r.exit_code, kExitOk);
    EXPECT_EQ(r.err.find("Sanitizer"), std::string::npos);
    EXPECT_EQ(r.err.find("runtime error"), std::string::npos);
    // Output grows with the input, not with its square (deep trees once
    // produced 10 GB of indentation from 15 MB).
    auto o = std::find(args.begin(), args.end(), "-o");
    if (o != args.end() && std::filesystem::exists(*(o + 1))) {
      auto in_size = std::filesystem::file_size(input), out_size = std::filesystem::file_size(*(o + 1));
      EXPECT_LT(out_size, 20 * in_size + (1u << 20)) << *(o + 1);
      std::filesystem::remove(*(o + 1));
    }
  }
}

std::string generate(const TempDir& dir, const std::function<void(std::ofstream&)>& body) {
  std::string path = dir.file("trace.jsonl");
  std::ofstream out(path, std::ios::binary);
  body(out);
  return path;
}

TEST(PathologicalTraces, HundredThousandDeepForkChain) {
  TempDir dir;
  constexpr long kDepth = 100000;
  auto path = generate(dir, [](std::ofstream& out) {
    out << exec_line(1, 1, "init");
    for (long i = 1; i <= kDepth; ++i) out << fork_line(10 + 2 * i, i, i + 1) << exec_line(11 + 2 * i, i + 1, "sh");
    for (long i = kDepth + 1; i >= 1; --i) out << exit_line(10 * kDepth + (kDepth + 1 - i), i, 0);
  });
  expect_every_output_succeeds(path);
}

TEST(PathologicalTraces, HundredThousandChildrenOfOneProcess) {
  TempDir dir;
  auto path = generate(dir, [](std::ofstream& out) {
    out << exec_line(1, 1, "make");
    for (long i = 0; i < 100000; ++i)
      out << fork_line(10 + 3 * i, 1, 2 + i) << exec_line(11 + 3 * i, 2 + i, "cc") << exit_line(12 + 3 * i, 2 + i, i % 3);
  });
  expect_every_output_succeeds(path);
}

TEST(PathologicalTraces, OnePidReusedFiftyThousandTimes) {
  TempDir dir;
  auto path = generate(dir, [](std::ofstream& out) {
    out << exec_line(1, 1, "loop");
    for (long i = 0; i < 50000; ++i) {
      out << fork_line(10 + 3 * i, 1, 4242) << exec_line(11 + 3 * i, 4242, "true");
      if (i % 2) out << exit_line(12 + 3 * i, 4242, 0);  // half of them miss their exit
    }
  });
  expect_every_output_succeeds(path);
}

TEST(PathologicalTraces, ValuesAtTheEdgesOfTheirTypes) {
  TempDir dir;
  const std::string max_u64 = std::to_string(std::numeric_limits<std::uint64_t>::max());
  const std::string max_i64 = std::to_string(std::numeric_limits<std::int64_t>::max());
  const std::string min_i64 = std::to_string(std::numeric_limits<std::int64_t>::min());
  const std::string max_pid = std::to_string(std::numeric_limits<std::int32_t>::max());
  const std::string min_pid = std::to_string(std::numeric_limits<std::int32_t>::min());
  for (const std::string& offset : {max_i64, min_i64}) {
    auto path = generate(dir, [&](std::ofstream& out) {
      out << "{\"Meta\":{\"format\":\"proctrace\",\"version\":1,\"backend\":\"bpf\",\"clock\":\"CLOCK_BOOTTIME\","
             "\"clock_offset_ns\":" << offset << ",\"kernel\":\"\",\"host\":\"\",\"command\":[],"
             "\"start_timestamp\":" << max_u64 << "}}\n";
      out << "{\"Exec\":{\"timestamp\":0,\"pid\":" << max_pid << ",\"ppid\":" << min_pid
          << ",\"pgid\":-1,\"cmdline\":[],\"filename\":\"\",\"truncated\":true}}\n";
      out << "{\"Fork\":{\"timestamp\":0,\"parent_pid\":" << max_pid << ",\"child_pid\":" << max_pid
          << ",\"parent_pgid\":0,\"sid\":" << min_pid << "}}\n";
      out << "{\"Exec\":{\"timestamp\":1,\"pid\":0,\"ppid\":0,\"pgid\":0,\"cmdline\":null}}\n";
      out << "{\"SetPGID\":{\"timestamp\":2,\"pid\":" << min_pid << ",\"ppid\":0,\"pgid\":" << min_pid << "}}\n";
      out << "{\"SetSID\":{\"timestamp\":3,\"pid\":-7,\"ppid\":0,\"pgid\":0,\"sid\":-7}}\n";
      out << "{\"Exit\":{\"timestamp\":" << max_u64 << ",\"pid\":" << max_pid
          << ",\"ppid\":0,\"pgid\":0,\"code\":" << max_pid << ",\"signal\":" << min_pid << ",\"core_dumped\":true}}\n";
      out << "{\"Exit\":{\"timestamp\":" << max_u64 << ",\"pid\":0,\"ppid\":0,\"pgid\":0,\"code\":null,"
          << "\"signal\":null,\"core_dumped\":false}}\n";
      out << "{\"Stats\":{\"events\":{\"Exec\":" << max_u64 << "},\"lost\":{\"ringbuf_full\":" << max_u64
          << ",\"other\":" << max_u64 << "},\"truncated_argv\":" << max_u64 << ",\"alive_at_end\":[" << min_pid
          << "],\"end_timestamp\":0,\"root_status\":" << min_pid << "}}\n";
    });
    SCOPED_TRACE("clock_offset_ns " + offset);
    expect_every_output_succeeds(path);
  }
}

}  // namespace
}  // namespace proctrace::testing
