// How `proctrace record` (eBPF backend) behaves as a launcher: signals sent
// to proctrace itself, being killed, privileges, sudo, and releasing the
// kernel programs.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "record/bpf_recording.h"

namespace proctrace::testing {
namespace {

using namespace std::chrono_literals;

// proctrace running in the background, output to files in `dir`.
struct Background {
  pid_t pid = -1;
  std::string recording;

  Background(const TempDir& dir, const std::vector<std::string>& command,
             const std::vector<std::string>& options = {})
      : recording(dir.file("rec.jsonl")) {
    std::vector<std::string> argv{proctrace_binary(), "record", "--backend", "bpf", "-o", recording};
    argv.insert(argv.end(), options.begin(), options.end());
    argv.push_back("--");
    argv.insert(argv.end(), command.begin(), command.end());
    std::string out = dir.file("stdout"), err = dir.file("stderr");
    pid = fork();
    if (pid == 0) {
      int null_in = open("/dev/null", O_RDONLY);
      int fo = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int fe = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(null_in, 0);
      dup2(fo, 1);
      dup2(fe, 2);
      setpgid(0, 0);  // signals from the test reach proctrace only through kill(pid)
      std::vector<char*> args;
      for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
  }

  // Waits until the recording contains `text` (it is flushed every drain).
  bool wait_for(const std::string& text, std::chrono::milliseconds limit = 10s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (read_file(recording).find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(5ms);
    }
    return false;
  }

  // Shell-style exit status; kills the whole group if it does not end in time.
  int wait_exit(std::chrono::milliseconds limit = 20s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (waitpid(pid, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        kill(-pid, SIGKILL);
        waitpid(pid, &status, 0);
        ADD_FAILURE() << "proctrace did not finish in time";
        return -1;
      }
      std::this_thread::sleep_for(5ms);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
};

std::unique_ptr<Trace> load(const std::string& path, Diagnostics& diag) { return load_trace({path}, diag); }

TEST(BpfLauncher, SigtermToProctraceReachesTheTargetAndCompletesTheRecording) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  TempDir dir;
  Background bg(dir, {"sleep", "30"});
  ASSERT_TRUE(bg.wait_for("\"cmdline\":[\"sleep\",\"30\"]"));
  kill(bg.pid, SIGTERM);
  EXPECT_EQ(bg.wait_exit(), 128 + SIGTERM);
  Diagnostics diag(false);
  auto trace = load(bg.recording, diag);
  EXPECT_EQ(diag.errors() + diag.warnings(), 0u);
  EXPECT_EQ(describe_tree(*trace), "sleep 30 : signal 15\n");
  ASSERT_TRUE(trace->has_stats);
  EXPECT_EQ(trace->stats.root_status, 143);
}

TEST(BpfLauncher, SigintToProctraceLetsTheTargetFinishItsOwnWay) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  TempDir dir;
  Background bg(dir, {"sh", "-c", "trap 'exit 42' INT; echo ready; while :; do sleep 0.01; done"});
  ASSERT_TRUE(bg.wait_for("\"cmdline\":[\"sleep\",\"0.01\"]"));
  kill(bg.pid, SIGINT);
  EXPECT_EQ(bg.wait_exit(), 42);
  Diagnostics diag(false);
  auto trace = load(bg.recording, diag);
  EXPECT_EQ(diag.errors() + diag.warnings(), 0u);
  ASSERT_TRUE(trace->has_stats);
  EXPECT_EQ(trace->stats.root_status, 42);
  const Process& root = trace->tree[trace->tree.roots()[0]];
  EXPECT_EQ(root.exit.code, 42);
  EXPECT_TRUE(trace->stats.alive_at_end.empty());
  for (ProcessIndex c : root.children) EXPECT_EQ(describe_exit(trace->tree[c]), "exit 0");
}

TEST(BpfLauncher, SignalWhileWaitingForDescendantsStopsTheRecording) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  TempDir dir;
  Background bg(dir, {"sh", "-c", "sleep 30 & exit 5"}, {"--wait-descendants", "60"});
  ASSERT_TRUE(bg.wait_for("\"code\":5"));  // the root's Exit: now waiting for sleep
  auto start = std::chrono::steady_clock::now();
  kill(bg.pid, SIGINT);
  EXPECT_EQ(bg.wait_exit(), 5);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  Diagnostics diag(false);
  auto trace = load(bg.recording, diag);
  ASSERT_TRUE(trace->has_stats);
  const ProcessTree& tree = trace->tree;
  ASSERT_EQ(tree[tree.roots()[0]].children.size(), 1u);
  const Process& sleeper = tree[tree[tree.roots()[0]].children[0]];
  EXPECT_EQ(trace->stats.alive_at_end, std::vector<Pid>{sleeper.pid});
  kill(sleeper.pid, SIGKILL);  // not ours to leave behind
}

TEST(BpfLauncher, EventsLostToAFullRingBufferAreCountedAndReported) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  TempDir dir;
  // 1000 execs make ~300 KB of records; a stopped recorder drains none of
  // them into its 64 KiB ring.
  Background bg(dir, {"sh", "-c", "i=0; while [ $i -lt 1000 ]; do /bin/true; i=$((i+1)); done"},
                {"--ringbuf-size", "64K", "--argv-cap", "1K"});
  ASSERT_TRUE(bg.wait_for("\"cmdline\":[\"sh\""));
  kill(bg.pid, SIGSTOP);
  std::this_thread::sleep_for(3s);
  kill(bg.pid, SIGCONT);
  EXPECT_EQ(bg.wait_exit(), 0);
  Diagnostics diag(false);
  auto trace = load(bg.recording, diag);
  EXPECT_EQ(diag.errors(), 0u);
  ASSERT_TRUE(trace->has_stats);
  std::uint64_t lost = trace->stats.lost.at("ringbuf_full");
  EXPECT_GT(lost, 0u);
  std::uint64_t written = 0;
  for (auto& [kind, n] : trace->stats.events) written += n;
  EXPECT_EQ(written + lost, 3002u) << "every event written or counted: 1000 forks, 1001 execs, 1001 exits";
  std::string err = read_file(bg.recording.substr(0, bg.recording.rfind('/')) + "/stderr");
  EXPECT_NE(err.find("ringbuf_full: " + std::to_string(lost)), std::string::npos) << err;
}

TEST(BpfLauncher, AKilledRecorderLeavesAReadablePrefix) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  TempDir dir;
  Background bg(dir, {"sh", "-c", "while :; do sleep 0.01; done"});
  ASSERT_TRUE(bg.wait_for("\"cmdline\":[\"sleep\",\"0.01\"]"));
  std::this_thread::sleep_for(50ms);
  kill(bg.pid, SIGKILL);
  bg.wait_exit();
  Diagnostics diag(false);
  auto trace = load(bg.recording, diag);
  EXPECT_EQ(diag.errors(), 0u) << "whole lines only: flushed after every drain";
  EXPECT_TRUE(trace->has_meta);
  EXPECT_FALSE(trace->has_stats);
  EXPECT_GE(trace->events.size(), 3u);
  // The target outlives its recorder; end it.
  const Process& root = trace->tree[trace->tree.roots()[0]];
  kill(root.pid, SIGKILL);
}

// Ids of the BPF programs some process holds, directly or through a link
// (both show "prog_id:" in /proc/PID/fdinfo/FD). bpftool's own "pids" field
// needs a bpftool built with that support; this does not.
std::set<long> held_program_ids() {
  namespace fs = std::filesystem;
  std::set<long> ids;
  std::error_code ec;
  for (auto& proc : fs::directory_iterator("/proc", ec)) {
    std::string name = proc.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::error_code ec2;
    for (auto& fd : fs::directory_iterator(proc.path() / "fdinfo", ec2)) {
      std::string info = read_file(fd.path());
      for (std::size_t at = info.find("prog_id:"); at != std::string::npos; at = info.find("prog_id:", at + 1))
        ids.insert(std::strtol(info.c_str() + at + 8, nullptr, 10));
    }
  }
  return ids;
}

// Our programs (bpf/proctrace.bpf.c names them pt_*) that nothing holds.
std::vector<std::string> orphaned_programs() {
  auto r = run({"bpftool", "-j", "prog", "show"});
  auto progs = nlohmann::json::parse(r.out, nullptr, false);
  if (!progs.is_array()) return {"cannot parse bpftool output: " + r.err};
  std::set<long> held = held_program_ids();
  std::vector<std::string> out;
  for (auto& p : progs) {
    std::string name = p.value("name", "");
    long id = p.value("id", 0L);
    if (name.rfind("pt_", 0) == 0 && !held.count(id)) out.push_back(name + " (id " + std::to_string(id) + ")");
  }
  return out;
}

TEST(BpfLauncher, KernelProgramsAreReleasedWhenProctraceEnds) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  if (run({"bpftool", "version"}).exit_code != 0) GTEST_SKIP() << "bpftool is not installed";
  auto r = record_command({"true"});
  ASSERT_EQ(r.run.exit_code, 0);
  {
    TempDir dir;
    Background bg(dir, {"sleep", "30"});
    ASSERT_TRUE(bg.wait_for("\"cmdline\":[\"sleep\""));
    kill(bg.pid, SIGKILL);  // no chance to clean up: the kernel must
    bg.wait_exit();
    Diagnostics diag(false);
    auto trace = load(bg.recording, diag);
    kill(trace->tree[trace->tree.roots()[0]].pid, SIGKILL);
  }
  // Closing the last descriptor frees the programs, a moment after exit.
  std::vector<std::string> left;
  for (int attempt = 0; attempt < 100; ++attempt) {
    left = orphaned_programs();
    if (left.empty()) break;
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(left.empty()) << "still loaded: " << ::testing::PrintToString(left);
}

// The uid/gid of "nobody", to drop privileges to.
constexpr const char* kNobody = "65534";

TEST(BpfLauncher, WithoutPrivilegesFailsAtOnceSayingHowToFixIt) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  if (run({"setpriv", "--version"}).exit_code != 0) GTEST_SKIP() << "setpriv (util-linux) is not installed";
  auto r = run({"setpriv", std::string("--reuid=") + kNobody, std::string("--regid=") + kNobody, "--clear-groups",
                proctrace_binary(), "record", "--backend", "bpf", "-o", "-", "--", "true"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "") << "nothing recorded, nothing run";
  EXPECT_NE(r.err.find("CAP_BPF"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("setcap cap_bpf,cap_perfmon+ep"), std::string::npos) << r.err;
}

TEST(BpfLauncher, AutoBackendWithoutPrivilegesFallsBackToStraceWithANote) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  if (run({"setpriv", "--version"}).exit_code != 0) GTEST_SKIP() << "setpriv (util-linux) is not installed";
  auto r = run({"setpriv", std::string("--reuid=") + kNobody, std::string("--regid=") + kNobody, "--clear-groups",
                proctrace_binary(), "record", "-o", "-", "--", "true"});
  EXPECT_NE(r.err.find("recording with strace instead of eBPF"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("CAP_BPF"), std::string::npos) << r.err;
}

TEST(BpfLauncher, WorksWithoutRootThroughFileCapabilities) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  if (run({"setpriv", "--version"}).exit_code != 0) GTEST_SKIP() << "setpriv (util-linux) is not installed";
  TempDir dir;
  chmod(dir.path().c_str(), 0777);
  std::string binary = dir.file("proctrace");
  std::filesystem::copy_file(proctrace_binary(), binary);
  chmod(binary.c_str(), 0755);
  if (run({"setcap", "cap_bpf,cap_perfmon+ep", binary}).exit_code != 0)
    GTEST_SKIP() << "setcap is unavailable or the file system keeps no capabilities";
  auto r = run({"setpriv", std::string("--reuid=") + kNobody, std::string("--regid=") + kNobody, "--clear-groups",
                binary, "record", "--backend", "bpf", "-o", "-", "--", "sh", "-c", "exit 3"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.out.find("{\"Exec\":"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("{\"Stats\":"), std::string::npos) << r.out;
}

TEST(BpfLauncher, UnderSudoTheTargetRunsAsTheInvokingUserWhoOwnsTheRecording) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  TempDir dir;
  // The recording is created by the user, in a directory they may write.
  ASSERT_EQ(chown(dir.path().c_str(), 65534, 65534), 0);
  std::string out = dir.file("rec.jsonl");
  auto r = run({"env", std::string("SUDO_UID=") + kNobody, std::string("SUDO_GID=") + kNobody, proctrace_binary(),
                "record", "--backend", "bpf", "-o", out, "--", "sh", "-c", "id -u; id -g; id -G"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "65534\n65534\n65534\n");
  struct stat st {};
  ASSERT_EQ(stat(out.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 65534u);
  EXPECT_EQ(st.st_gid, 65534u);
}

TEST(BpfLauncher, RejectsBadOptions) {
  auto r = run_proctrace({"record", "--argv-cap", "10", "--", "true"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--argv-cap"), std::string::npos) << r.err;
  r = run_proctrace({"record", "--ringbuf-size", "3M", "--", "true"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--ringbuf-size"), std::string::npos) << r.err;
  r = run_proctrace({"record", "--backend", "kernel", "--", "true"});
  EXPECT_EQ(r.exit_code, 2);
  r = run_proctrace({"record"});
  EXPECT_EQ(r.exit_code, 2);
}

TEST(BpfLauncher, AcceptsSizesWithUnits) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  auto r = record_command({"true"}, {"--argv-cap", "64K", "--ringbuf-size", "1M"});
  EXPECT_EQ(r.run.exit_code, 0) << r.run.err;
  EXPECT_TRUE(r.trace->has_stats);
}

}  // namespace
}  // namespace proctrace::testing
