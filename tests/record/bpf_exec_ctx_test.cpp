// Who runs each exec'd image and where (uid/gid, working directory) through
// the real eBPF recorder.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <map>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "hardening/small_tmpfs.h"
#include "record/bpf_recording.h"
#include "record/test_user.h"

namespace proctrace::testing {
namespace {

TEST(BpfExecContext, WorkingDirectoryAcrossAMountPoint) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  SmallTmpfs mounted("1m");
  if (!mounted.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here: " << mounted.error();
  std::string inner = mounted.file("a/b");
  ASSERT_EQ(::mkdir(mounted.file("a").c_str(), 0755), 0);
  ASSERT_EQ(::mkdir(inner.c_str(), 0755), 0);
  auto r = record_command({"sh", "-c", "cd '" + inner + "' && /bin/true; cd / && /bin/echo >/dev/null"});
  ASSERT_EQ(r.run.exit_code, 0) << r.run.err;
  Event in_mount = exec_of(*r.trace, "/bin/true");
  EXPECT_EQ(in_mount.cwd, inner) << r.text;
  EXPECT_FALSE(in_mount.cwd_cut);
  EXPECT_EQ(exec_of(*r.trace, "/bin/echo").cwd, "/") << r.text;
  // sh itself started where the recorder was.
  char here[4096];
  ASSERT_TRUE(::getcwd(here, sizeof here));
  EXPECT_EQ(exec_of(*r.trace, "sh").cwd, here);
}

TEST(BpfExecContext, ADirectoryDeeperThanTheBoundIsMarkedCut) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  TempDir dir;
  std::string deep = dir.path();
  for (int i = 0; i < 60; ++i) {
    deep += "/d" + std::to_string(i);
    ASSERT_EQ(::mkdir(deep.c_str(), 0755), 0);
  }
  auto r = record_command({"sh", "-c", "cd '" + deep + "' && /bin/true"});
  ASSERT_EQ(r.run.exit_code, 0) << r.run.err;
  Event e = exec_of(*r.trace, "/bin/true");
  EXPECT_TRUE(e.cwd_cut) << r.text;
  // The innermost components are kept; the top is what is missing.
  EXPECT_EQ(e.cwd.substr(e.cwd.size() - 8), "/d58/d59") << e.cwd;
  EXPECT_LT(e.cwd.size(), deep.size());
}

TEST(BpfExecContext, IdsAreThoseOfWhoRunsTheImage) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  REQUIRE_ROOT_AND_TEST_USER(user);
  TempDir dir;
  ::chmod(dir.path().c_str(), 0777);
  std::string out = dir.file("ids.jsonl");
  std::vector<std::string> args = user.sudo_env();
  for (const std::string& a : std::vector<std::string>{proctrace_binary(), "record", "--backend", "bpf", "-o", out,
                                                       "--", "/bin/true"})
    args.push_back(a);
  auto run_result = run(args);
  ASSERT_EQ(run_result.exit_code, 0) << run_result.err;
  Diagnostics diag(false);
  auto trace = load_trace({out}, diag);
  ASSERT_TRUE(trace);
  Event e = exec_of(*trace, "/bin/true");
  ASSERT_TRUE(e.ids.has_value()) << read_file(out);
  EXPECT_EQ(e.ids->uid, user.uid());
  EXPECT_EQ(e.ids->euid, user.uid());
  EXPECT_EQ(e.ids->gid, user.gid());
  EXPECT_EQ(e.ids->egid, user.gid());
}

// The build analyses group by the directory each program started in and add
// up what the recorder measured of it (CPU, peak memory).
TEST(BpfExecContext, StatsGroupByWorkingDirectoryWithCpuAndPeakMemory) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  TempDir dir;
  std::string a = dir.file("a"), b = dir.file("b");
  ASSERT_EQ(::mkdir(a.c_str(), 0755), 0);
  ASSERT_EQ(::mkdir(b.c_str(), 0755), 0);
  auto r = record_command({"sh", "-c", "cd '" + a + "' && /bin/true && /bin/true; cd '" + b + "' && /bin/true"});
  ASSERT_EQ(r.run.exit_code, 0) << r.run.err;
  std::string rec = dir.file("rec.jsonl");
  write_file(rec, r.text);
  RunResult stats = run_proctrace({"stats", "--by", "cwd", "--json", rec});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  auto j = nlohmann::json::parse(stats.out);
  std::map<std::string, std::uint64_t> runs;
  for (const auto& g : j["groups"]) {
    runs[g["key"].get<std::string>()] = g["runs"].get<std::uint64_t>();
    // Every process exited with its usage measured.
    EXPECT_TRUE(g.contains("cpu_ns")) << g.dump();
    EXPECT_TRUE(g.contains("peak_rss_bytes")) << g.dump();
  }
  EXPECT_EQ(runs[a], 2u) << stats.out;
  EXPECT_EQ(runs[b], 1u) << stats.out;
  RunResult text = run_proctrace({"stats", "--by", "cwd", rec});
  EXPECT_NE(text.out.find("cpu s"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("peak MB"), std::string::npos) << text.out;
}

}  // namespace
}  // namespace proctrace::testing
