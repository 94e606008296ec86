// Faults while recording with the real eBPF recorder, beyond what
// tests/record covers: proctrace itself interrupted (SIGINT, SIGTERM,
// SIGHUP, SIGKILL), the output disk full or over the file size limit, an
// exec storm overflowing a deliberately small ring buffer, a daemonizing
// target, and every BPF object released however proctrace ends.
#include <gtest/gtest.h>

#include <bpf/bpf.h>
#include <dirent.h>
#include <sys/resource.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "bounded_run.h"
#include "io/diagnostics.h"
#include "load/trace.h"
#include "record/bpf_recording.h"
#include "small_tmpfs.h"
#include "test_support.h"

namespace proctrace::testing {
namespace {

using namespace std::chrono_literals;

bool wait_for_file(const std::string& path, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!std::filesystem::exists(path)) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

// The BPF programs, maps and links a process holds, from /proc/PID/fdinfo.
struct BpfObjects {
  std::set<std::uint32_t> progs, maps, links;
  bool empty() const { return progs.empty() && maps.empty() && links.empty(); }
};

BpfObjects bpf_objects_of(pid_t pid) {
  BpfObjects objects;
  std::string dir = "/proc/" + std::to_string(pid) + "/fdinfo";
  for (auto& entry : std::filesystem::directory_iterator(dir, std::filesystem::directory_options::skip_permission_denied)) {
    std::ifstream in(entry.path());
    std::string key;
    for (std::string line; std::getline(in, line);) {
      std::istringstream fields(line);
      std::uint32_t id = 0;
      if (!(fields >> key >> id)) continue;
      if (key == "prog_id:") objects.progs.insert(id);
      if (key == "map_id:") objects.maps.insert(id);
      if (key == "link_id:") objects.links.insert(id);
    }
  }
  return objects;
}

// Which of these objects still exist anywhere in the kernel.
BpfObjects still_alive(const BpfObjects& held) {
  BpfObjects alive;
  auto check = [](const std::set<std::uint32_t>& ids, int (*open_by_id)(__u32), std::set<std::uint32_t>& out) {
    for (auto id : ids) {
      int fd = open_by_id(id);
      if (fd >= 0) {
        out.insert(id);
        ::close(fd);
      }
    }
  };
  check(held.progs, bpf_prog_get_fd_by_id, alive.progs);
  check(held.maps, bpf_map_get_fd_by_id, alive.maps);
  check(held.links, bpf_link_get_fd_by_id, alive.links);
  return alive;
}

// The kernel frees maps from a workqueue: give it a moment.
void expect_released(const BpfObjects& held) {
  ASSERT_FALSE(held.progs.empty()) << "proctrace held no BPF program while recording";
  BpfObjects alive;
  for (int i = 0; i < 200; ++i) {
    alive = still_alive(held);
    if (alive.empty()) return;
    std::this_thread::sleep_for(25ms);
  }
  EXPECT_TRUE(alive.progs.empty()) << alive.progs.size() << " BPF programs leaked, e.g. id " << *alive.progs.begin();
  EXPECT_TRUE(alive.maps.empty()) << alive.maps.size() << " BPF maps leaked";
  EXPECT_TRUE(alive.links.empty()) << alive.links.size() << " BPF links leaked";
}

struct Loaded {
  std::unique_ptr<Trace> trace;
  std::uint64_t errors = 0, warnings = 0;
  std::string text;
};

Loaded load(const std::string& path) {
  Loaded l;
  l.text = read_file(path);
  Diagnostics diag(false);
  try {
    l.trace = load_trace({path}, diag);
  } catch (const InputError&) {
  }
  l.errors = diag.errors();
  l.warnings = diag.warnings();
  return l;
}

const Process* find_process(const Trace& trace, const std::string& argv0) {
  for (auto& p : trace.tree.processes())
    if (auto* cmd = p.command(); cmd && !cmd->empty() && (*cmd)[0] == argv0 && !p.segments.back().inherited) return &p;
  return nullptr;
}

// proctrace record in the background; the target announces itself by
// creating `ready` once it runs.
class Recording {
 public:
  Recording(const std::vector<std::string>& options, const std::string& script, void (*in_child)() = nullptr,
            const std::string& output = "")
      : output_(output.empty() ? dir_.file("recording.jsonl") : output), ready_(dir_.file("ready")),
        done_(dir_.file("done")) {
    std::vector<std::string> args{proctrace_binary(), "record", "--backend", "bpf", "-o", output_};
    args.insert(args.end(), options.begin(), options.end());
    args.insert(args.end(), {"--", "sh", "-c", script, "sh", ready_, done_});
    proctrace_ = std::make_unique<Spawned>(args, "", in_child);
  }
  bool wait_ready() {
    bool ok = wait_for_file(ready_, 30s);
    if (ok) held_ = bpf_objects_of(proctrace_->pid());
    return ok;
  }
  bool wait_done() { return wait_for_file(done_, 120s); }
  Spawned& proctrace() { return *proctrace_; }
  const std::string& output() const { return output_; }
  const BpfObjects& held() const { return held_; }
  const std::string& done_marker() const { return done_; }

 private:
  TempDir dir_;
  std::string output_, ready_, done_;
  std::unique_ptr<Spawned> proctrace_;
  BpfObjects held_;
};

// In the scripts, $1 is the ready marker and $2 the done marker.
const std::string kAnnounce = ": > \"$1\"; ";

class InterruptedRecorder : public ::testing::TestWithParam<int> {};

// A signal to proctrace reaches the target; the recording still ends with
// the target's exit and a Stats line, and proctrace exits with its status.
TEST_P(InterruptedRecorder, RecordingIsCompleteAndTheTargetsStatusReported) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  const int sig = GetParam();
  Recording rec({}, kAnnounce + "exec sleep 30");
  ASSERT_TRUE(rec.wait_ready());
  rec.proctrace().signal(sig);
  auto r = rec.proctrace().wait(30s);
  ASSERT_FALSE(r.timed_out) << "proctrace did not stop on signal " << sig;
  EXPECT_EQ(r.exit_code, 128 + sig) << r.err;
  auto l = load(rec.output());
  ASSERT_TRUE(l.trace) << l.text;
  EXPECT_EQ(l.errors, 0u) << l.text;
  EXPECT_EQ(l.warnings, 0u) << l.text;
  ASSERT_TRUE(l.trace->has_stats) << "no Stats line: " << l.text;
  EXPECT_EQ(l.trace->stats.root_status, 128 + sig);
  // The ready marker is written just before `exec sleep`, so the signal may
  // land before or after the exec: the target is the root either way.
  ASSERT_FALSE(l.trace->tree.roots().empty()) << l.text;
  const Process& target = l.trace->tree[l.trace->tree.roots().front()];
  ASSERT_TRUE(target.exited()) << l.text;
  EXPECT_EQ(target.exit.signal, sig);
  expect_released(rec.held());
}

INSTANTIATE_TEST_SUITE_P(Signals, InterruptedRecorder, ::testing::Values(SIGINT, SIGTERM, SIGHUP),
                         [](const auto& info) { return std::string(sigabbrev_np(info.param)); });

// A target that ignores the signal keeps running; proctrace keeps recording
// and reports the status it ends with.
TEST(RecordFaults, TargetIgnoringTheSignalRunsToItsEnd) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  Recording rec({}, "trap '' INT TERM HUP; " + kAnnounce + "sleep 1; exit 4");
  ASSERT_TRUE(rec.wait_ready());
  rec.proctrace().signal(SIGTERM);
  auto r = rec.proctrace().wait(30s);
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, 4) << r.err;
  auto l = load(rec.output());
  ASSERT_TRUE(l.trace && l.trace->has_stats) << l.text;
  EXPECT_EQ(l.trace->stats.root_status, 4);
  EXPECT_EQ(l.errors + l.warnings, 0u) << l.text;
  expect_released(rec.held());
}

// While waiting for descendants after the root exited, a signal means
// "stop now": the leftovers are listed as alive, the root's status stands.
TEST(RecordFaults, SignalWhileWaitingForDescendantsStopsPromptly) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  Recording rec({"--wait-descendants", "600"}, "sleep 60 & " + kAnnounce + "exit 5");
  ASSERT_TRUE(rec.wait_ready());
  std::this_thread::sleep_for(300ms);  // the root has exited by now
  auto started = std::chrono::steady_clock::now();
  rec.proctrace().signal(SIGINT);
  auto r = rec.proctrace().wait(30s);
  ASSERT_FALSE(r.timed_out);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_EQ(r.exit_code, 5) << r.err;
  auto l = load(rec.output());
  ASSERT_TRUE(l.trace && l.trace->has_stats) << l.text;
  const Process* sleeper = find_process(*l.trace, "sleep");
  ASSERT_NE(sleeper, nullptr) << l.text;
  EXPECT_EQ(l.trace->stats.alive_at_end, std::vector<Pid>{sleeper->pid});
  ::kill(sleeper->pid, SIGKILL);
  expect_released(rec.held());
}

// SIGKILL cannot be handled: the kernel must still drop every BPF object,
// and what was written must read as a valid prefix without a Stats line.
TEST(RecordFaults, SigkilledRecorderLeavesAReadablePrefixAndNoBpfObjects) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  Recording rec({}, "true; " + kAnnounce + "exec sleep 30");
  ASSERT_TRUE(rec.wait_ready());
  std::this_thread::sleep_for(300ms);  // a drain or two
  rec.proctrace().signal(SIGKILL);
  auto r = rec.proctrace().wait(30s);
  EXPECT_EQ(r.exit_code, 128 + SIGKILL);
  expect_released(rec.held());
  auto l = load(rec.output());
  ASSERT_TRUE(l.trace) << l.text;
  EXPECT_EQ(l.errors, 0u) << l.text;
  EXPECT_FALSE(l.trace->has_stats);
}

// The target killed by SIGKILL: proctrace reports 137 and cleans up.
TEST(RecordFaults, TargetKilledBySigkillReleasesEverything) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  Recording rec({}, kAnnounce + "exec sleep 30");
  ASSERT_TRUE(rec.wait_ready());
  auto l0 = load(rec.output());
  // The target is sh exec'ing sleep: kill it by its pid from the recording.
  Pid target = 0;
  for (int i = 0; i < 200 && !target; ++i) {
    std::this_thread::sleep_for(25ms);
    auto l = load(rec.output());
    if (l.trace)
      if (const Process* s = find_process(*l.trace, "sleep")) target = s->pid;
  }
  ASSERT_NE(target, 0) << "the sleep never showed up in the recording";
  ::kill(target, SIGKILL);
  auto r = rec.proctrace().wait(30s);
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, 128 + SIGKILL) << r.err;
  auto l = load(rec.output());
  ASSERT_TRUE(l.trace && l.trace->has_stats) << l.text;
  EXPECT_EQ(l.trace->stats.root_status, 128 + SIGKILL);
  expect_released(rec.held());
}

const std::string kExecStorm = "i=0; while [ $i -lt 2000 ]; do /bin/true; i=$((i+1)); done; ";

// Disk full: proctrace says so with the file name, lets the target finish,
// fails, and does not write a Stats line (which would claim completeness).
TEST(RecordFaults, DiskFullIsAClearFailureNotACompleteRecording) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  SmallTmpfs fs("64k");
  if (!fs.mounted()) GTEST_SKIP() << "cannot mount a tmpfs: " << fs.error();
  std::string out = fs.file("recording.jsonl");
  Recording rec({}, kAnnounce + kExecStorm + ": > \"$2\"; exit 3", nullptr, out);
  auto r = rec.proctrace().wait(180s);
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, kExitFailure) << r.err;
  EXPECT_NE(r.err.find(out + ": write failed: No space left on device"), std::string::npos) << r.err;
  EXPECT_TRUE(std::filesystem::exists(rec.done_marker())) << "the target did not run to its end";
  EXPECT_EQ(read_file(out).find("{\"Stats\""), std::string::npos) << "a failed recording claims to be complete";
}

void limit_file_size() {
  rlimit limit{64 * 1024, 64 * 1024};
  setrlimit(RLIMIT_FSIZE, &limit);
}

// RLIMIT_FSIZE: the kernel sends SIGXFSZ, which must not kill proctrace
// silently (leaving the target unsupervised): same clear failure as disk full.
TEST(RecordFaults, FileSizeLimitIsAClearFailureNotADeathBySignal) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  Recording rec({}, kAnnounce + kExecStorm + ": > \"$2\"; exit 3", limit_file_size);
  auto r = rec.proctrace().wait(180s);
  ASSERT_FALSE(r.timed_out);
  EXPECT_NE(r.exit_code, 128 + SIGXFSZ) << "killed by SIGXFSZ";
  EXPECT_EQ(r.exit_code, kExitFailure) << r.err;
  EXPECT_NE(r.err.find(rec.output() + ": write failed: File too large"), std::string::npos) << r.err;
  EXPECT_TRUE(std::filesystem::exists(rec.done_marker())) << "the target did not run to its end";
  EXPECT_EQ(read_file(rec.output()).find("{\"Stats\""), std::string::npos);
}

// A small ring buffer and a recorder that cannot drain (stopped) while the
// target execs 2000 times: the loss must be counted and warned about.
TEST(RecordFaults, ExecStormOverflowingASmallRingBufferIsCountedAndWarned) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  Recording rec({"--ringbuf-size", "64K", "--argv-cap", "64"},
                kAnnounce + "sleep 0.5; " + kExecStorm + ": > \"$2\"; exit 0");
  ASSERT_TRUE(rec.wait_ready());
  rec.proctrace().signal(SIGSTOP);
  bool done = rec.wait_done();
  rec.proctrace().signal(SIGCONT);
  ASSERT_TRUE(done);
  auto r = rec.proctrace().wait(60s);
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto l = load(rec.output());
  ASSERT_TRUE(l.trace && l.trace->has_stats) << l.text.substr(0, 2000);
  const Stats& stats = l.trace->stats;
  EXPECT_GT(stats.lost.count("ringbuf_full") ? stats.lost.at("ringbuf_full") : 0u, 0u);
  EXPECT_NE(r.err.find("lost"), std::string::npos) << "no warning about the loss: " << r.err;
  // Never silent: every exec is either in the recording or counted as lost.
  std::uint64_t execs = 0;
  for (auto& e : l.trace->events) execs += e.kind == EventKind::Exec;
  EXPECT_GE(execs + stats.total_lost(), 2000u);
  // Reading the recording back says it is incomplete too.
  auto again = run_proctrace_bounded({"render", "-d", "multiplexed", rec.output(), "-o", "/dev/null"}, 60s);
  EXPECT_NE(again.err.find("lost"), std::string::npos) << again.err;
  expect_released(rec.held());
}

// A daemon: forks, starts a new session, and outlives the command. Without
// waiting it is listed as alive at the end; with --wait-descendants its exit
// and its new session are recorded.
TEST(RecordFaults, DaemonizingTargetOutlivesItsParent) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  const std::string daemon =
      kAnnounce + "setsid sh -c 'sleep 1; exit 7' </dev/null >/dev/null 2>&1 & exit 0";
  {
    Recording rec({}, daemon);
    auto r = rec.proctrace().wait(60s);
    ASSERT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto l = load(rec.output());
    ASSERT_TRUE(l.trace && l.trace->has_stats) << l.text;
    EXPECT_FALSE(l.trace->stats.alive_at_end.empty()) << l.text;
  }
  {
    Recording rec({"--wait-descendants", "30"}, daemon);
    auto r = rec.proctrace().wait(60s);
    ASSERT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto l = load(rec.output());
    ASSERT_TRUE(l.trace && l.trace->has_stats) << l.text;
    EXPECT_TRUE(l.trace->stats.alive_at_end.empty()) << l.text;
    bool saw_setsid = false, saw_exit7 = false;
    for (auto& p : l.trace->tree.processes()) {
      if (p.sids.size() > 1 || (p.sids.size() == 1 && p.sids[0].second == p.pid)) saw_setsid = true;
      if (p.exit.code == 7) saw_exit7 = true;
    }
    EXPECT_TRUE(saw_setsid) << l.text;
    EXPECT_TRUE(saw_exit7) << l.text;
  }
}

}  // namespace
}  // namespace proctrace::testing
