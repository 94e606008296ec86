// record --attach through the real eBPF recorder: a process that is already
// running, and what it starts afterwards.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "hardening/bounded_run.h"
#include "record/bpf_recording.h"
#include "record/test_user.h"

namespace proctrace::testing {
namespace {

using namespace std::chrono_literals;

// Waits until `pid` has a child (so the attach happens during its sleep).
bool wait_for_child(pid_t pid) {
  std::string children = "/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children";
  for (int i = 0; i < 500; ++i) {
    if (!read_file(children).empty()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

TEST(BpfAttach, RecordsARunningProcessAndWhatItStartsAfterwards) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  Spawned target({"sh", "-c", "sleep 1.5; ls / >/dev/null; exit 3"});
  ASSERT_TRUE(wait_for_child(target.pid()));
  TempDir dir;
  std::string out = dir.file("attached.jsonl");
  auto r = run_proctrace_bounded({"record", "--attach", std::to_string(target.pid()), "-o", out}, 60s);
  ASSERT_FALSE(r.timed_out);
  // The processes were not the recorder's: it ends when they do, with 0.
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::string text = read_file(out);
  Diagnostics diag(false);
  auto trace = load_trace({out}, diag);
  ASSERT_TRUE(trace);
  EXPECT_EQ(diag.errors(), 0u) << text;

  // sh and its sleep were running: Attached, with their argv from /proc,
  // and no invented Fork or Exec for them.
  auto attached = events_of(*trace, EventKind::Attached);
  ASSERT_EQ(attached.size(), 2u) << text;
  EXPECT_EQ(attached[0].pid, target.pid());
  EXPECT_EQ(attached[0].cmdline, (std::vector<std::string>{"sh", "-c", "sleep 1.5; ls / >/dev/null; exit 3"}));
  EXPECT_EQ(attached[1].cmdline, (std::vector<std::string>{"sleep", "1.5"}));
  EXPECT_EQ(attached[1].ppid, target.pid());
  // ls came later: forked and exec'd under the recorder.
  auto execs = events_of(*trace, EventKind::Exec);
  ASSERT_EQ(execs.size(), 1u) << text;
  EXPECT_EQ(execs[0].cmdline, (std::vector<std::string>{"ls", "/"}));
  EXPECT_EQ(events_of(*trace, EventKind::Fork).size(), 1u) << text;

  const Process& sh = trace->tree[trace->tree.roots().at(0)];
  EXPECT_TRUE(sh.attached);
  EXPECT_EQ(sh.exit.code, 3);
  EXPECT_EQ(sh.children.size(), 2u);
  auto tree = run_proctrace({"render", "-d", "tree", out});
  EXPECT_NE(tree.out.find("[exit 3] (already running at attach) sh -c 'sleep 1.5; ls / >/dev/null; exit 3'"),
            std::string::npos)
      << tree.out;
  EXPECT_NE(tree.out.find("ls /"), std::string::npos) << tree.out;
}

TEST(BpfAttach, AProcessThatDoesNotExistIsAUsageError) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  TempDir dir;
  auto r = run_proctrace({"record", "--attach", "2147483646", "-o", dir.file("x.jsonl")});
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_NE(r.err.find("no such process"), std::string::npos) << r.err;
}

TEST(BpfAttach, AttachAndACommandTogetherIsAUsageError) {
  auto r = run_proctrace({"record", "--attach", "1", "--", "true"});
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_NE(r.err.find("not both"), std::string::npos) << r.err;
  r = run_proctrace({"record", "--attach", "1", "--backend", "strace"});
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_NE(r.err.find("eBPF"), std::string::npos) << r.err;
}

// Under sudo only the user's own processes: recording another user's argv
// and children is what root may do, not whoever may sudo proctrace.
TEST(BpfAttach, UnderSudoAnotherUsersProcessIsRefused) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  REQUIRE_ROOT_AND_TEST_USER(user);
  TempDir dir;
  std::vector<std::string> args = user.sudo_env();
  for (std::string a : std::vector<std::string>{proctrace_binary(), "record", "--attach", "1", "-o", dir.file("x.jsonl")})
    args.push_back(a);
  auto r = run(args);
  EXPECT_EQ(r.exit_code, kExitUsage) << r.err;
  EXPECT_NE(r.err.find("not a process of yours"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace proctrace::testing
