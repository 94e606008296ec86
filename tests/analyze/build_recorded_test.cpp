// The build analyses on real builds recorded through the real eBPF
// recorder: the small C project in tests/fixtures/build/cproject built with
// `make -j2`, its compiler a wrapper (slowcc.c) that sleeps in its own
// process when one chosen argument appears, so one step is slow by a known
// amount.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>
#include <nlohmann/json.hpp>

#include "record/bpf_recording.h"

namespace proctrace::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr double kSlowSeconds = 1.0;

// The project copied into dir, with slowcc built there (not recorded).
void prepare_project(const TempDir& dir) {
  fs::copy(fixture("build/cproject"), dir.path(), fs::copy_options::recursive);
  auto cc = run({"gcc", "-O2", "-o", dir.file("slowcc"), dir.file("slowcc.c")});
  ASSERT_EQ(cc.exit_code, 0) << cc.err;
}

// Records `make -j2` of the project (cleaned first, not recorded), slowcc
// sleeping when slow_arg is an argument. The settings go through the
// environment, not the command, so both recordings run the same commands.
std::string record_build(const TempDir& project, const TempDir& out_dir, const std::string& name,
                         const std::string& slow_arg) {
  auto clean = run({"make", "-s", "-C", project.path(), "clean"});
  EXPECT_EQ(clean.exit_code, 0) << clean.err;
  setenv("SLOWCC_ARG", slow_arg.c_str(), 1);
  setenv("SLOWCC_SECONDS", std::to_string(kSlowSeconds).c_str(), 1);
  std::string out = out_dir.file(name);
  auto r = run_proctrace({"record", "--backend", "bpf", "-o", out, "--", "make", "-s", "-j2", "-C", project.path(),
                          "CC=" + project.file("slowcc")});
  unsetenv("SLOWCC_ARG");
  unsetenv("SLOWCC_SECONDS");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return out;
}

json json_of(const std::vector<std::string>& args) {
  auto r = run_proctrace(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out);
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(BuildRecorded, SlowCompileIsOnTheCriticalPathAndFirstInTheDiff) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  TempDir dir, project;
  prepare_project(project);
  std::string slow = record_build(project, dir, "slow.jsonl", "slow.c");
  std::string normal = record_build(project, dir, "normal.jsonl", "no-such-file.c");

  // The slow compile's process (slowcc, then gcc) holds its sleep on the path.
  json path = json_of({"critical-path", "--json", slow});
  std::int64_t slow_on_path = 0;
  for (auto& step : path["steps"])
    if (step.contains("command") && step["command"].get<std::string>().find("slow.c") != std::string::npos)
      slow_on_path += step["own_ns"].get<std::int64_t>();
  EXPECT_GE(slow_on_path, static_cast<std::int64_t>(kSlowSeconds * 1e9)) << path.dump(1);

  json diff = json_of({"diff", "--json", normal, slow});
  ASSERT_FALSE(diff["changes"].empty());
  auto& first = diff["changes"][0];
  EXPECT_EQ(first["kind"], "slower") << diff.dump(1);
  EXPECT_EQ(first["program"], "slowcc");
  EXPECT_NE(first["command"].get<std::string>().find("slow.c"), std::string::npos);
  EXPECT_NEAR(first["own_change_ns"].get<double>() / 1e9, kSlowSeconds, 0.1 * kSlowSeconds) << diff.dump(1);
  EXPECT_EQ(diff["new"], 0) << diff.dump(1);
  EXPECT_EQ(diff["gone"], 0);

  // Every cc1 and as the recording holds, and one per source file.
  std::string text = read_file(slow);
  json stats = json_of({"stats", "--json", "-c", "0", slow});
  std::map<std::string, std::uint64_t> runs;
  for (auto& g : stats["groups"]) runs[g["key"]] = g["runs"];
  EXPECT_EQ(runs["cc1"], 4u) << stats.dump(1);
  EXPECT_EQ(runs["as"], 4u);
  EXPECT_EQ(runs["cc1"], count(text, "/cc1\",\"truncated\""));
  EXPECT_EQ(runs["slowcc"], 5u);  // four compiles and the link
}

// When the link sleeps, the build ends in a serial tail: after the last
// compile only make and the link's chain run, one working at a time. The
// longest serial stretch is that tail, held by the link, and its part after
// the compiles is the link's duration plus make's own work around it
// (reaping the last compile, starting the link, exiting: a few ms). The 10%
// tolerance (0.1 s of a 1.1 s link) leaves room for a loaded machine.
TEST(BuildRecorded, SerialTailIsTheLinksDuration) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  TempDir dir, project;
  prepare_project(project);
  std::string rec = record_build(project, dir, "tail.jsonl", "prog");

  // From the recording itself: the link's fork and exit, and when the last
  // compile (slowcc -c) exited.
  std::int64_t first = -1, link_pid = -1, link_fork = -1, link_exit = -1, compiles_done = -1;
  std::map<std::int64_t, std::int64_t> fork_of, compile;  // pid -> fork time; compile pids
  std::vector<json> events;
  std::istringstream lines(read_file(rec));
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    json e = json::parse(line);
    if (!e.is_object() || e.empty()) continue;
    const std::string kind = e.begin().key();
    json& v = e.begin().value();
    if (kind == "Meta" || kind == "Stats" || !v.contains("timestamp")) continue;
    std::int64_t t = v["timestamp"];
    if (first < 0 || t < first) first = t;
    if (kind == "Fork") fork_of[v["child_pid"]] = t;
    if (kind == "Exec" || kind == "ExecArgs") {
      std::vector<std::string> argv;
      if (v.contains("cmdline") && v["cmdline"].is_array()) argv = v["cmdline"].get<std::vector<std::string>>();
      if (argv.empty() || argv[0].find("slowcc") == std::string::npos) continue;
      std::int64_t pid = v["pid"];
      if (std::find(argv.begin(), argv.end(), "-c") != argv.end()) compile[pid] = 1;
      else if (std::find(argv.begin(), argv.end(), "prog") != argv.end()) link_pid = pid, link_fork = fork_of[pid];
    }
    if (kind == "Exit") {
      std::int64_t pid = v["pid"];
      if (pid == link_pid) link_exit = t;
      if (compile.count(pid)) compiles_done = std::max(compiles_done, t);
    }
  }
  ASSERT_GT(link_pid, 0) << "no link recorded";
  ASSERT_GT(link_fork, 0);
  ASSERT_GT(link_exit, link_fork);
  ASSERT_GT(compiles_done, 0);
  ASSERT_LE(compiles_done, link_fork) << "the link started before the compiles ended";
  double link_s = static_cast<double>(link_exit - link_fork) / 1e9;
  EXPECT_GE(link_s, kSlowSeconds);

  json stats = json_of({"stats", "--json", rec});
  auto& conc = stats["concurrency"];
  ASSERT_FALSE(conc["longest_serial"].empty()) << stats.dump(1);
  auto& tail = conc["longest_serial"][0];
  EXPECT_EQ(tail["pid"], link_pid) << tail.dump();
  std::int64_t from = tail["from_ns"].get<std::int64_t>() + first, to = tail["to_ns"].get<std::int64_t>() + first;
  EXPECT_LE(from, link_fork) << tail.dump();
  EXPECT_GE(to, link_exit) << tail.dump();
  double serial_after_compiles = static_cast<double>(to - std::max(from, compiles_done)) / 1e9;
  EXPECT_NEAR(serial_after_compiles, link_s, 0.1 * link_s) << tail.dump();
  // And all of it is in the build's time at parallelism 1.
  EXPECT_GE(conc["time_at_ns"][1].get<std::int64_t>(), link_exit - link_fork) << conc.dump();
  std::printf("link %.3f s, serial tail after the compiles %.3f s, serial stretch %.3f s\n", link_s,
              serial_after_compiles, static_cast<double>(to - from) / 1e9);
}

}  // namespace
}  // namespace proctrace::testing
