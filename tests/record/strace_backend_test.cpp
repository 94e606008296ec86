// `proctrace record --backend strace` with the real strace over real
// commands: the recording, the exit status, signals, descendants left behind.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "load/trace.h"
#include "record/backends.h"
#include "test_support.h"

namespace proctrace::testing {
namespace {

std::unique_ptr<Trace> load(const std::string& path) {
  Diagnostics diag(false);
  auto trace = load_trace({path}, diag);
  EXPECT_EQ(diag.errors(), 0u);
  return trace;
}

const Process* find(const Trace& t, const std::string& argv0) {
  for (auto& p : t.tree.processes())
    if (p.command() && !p.command()->empty() && (*p.command())[0] == argv0) return &p;
  return nullptr;
}

TEST(StraceBackend, RecordsTheProcessTreeAndReturnsTheCommandsStatus) {
  REQUIRE_STRACE();
  TempDir dir;
  std::string out = dir.file("rec.jsonl");
  auto r = run_proctrace({"record", "--backend", "strace", "-o", out, "--", "sh", "-c",
                          "sleep 0.05 & setsid true; (exit 3); wait; exit 5"});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  std::string text = read_file(out);
  EXPECT_EQ(text.rfind("{\"Meta\":", 0), 0u) << "Meta first";
  auto last = text.substr(text.rfind('\n', text.size() - 2) + 1);
  EXPECT_EQ(last.rfind("{\"Stats\":", 0), 0u) << "Stats last";
  auto trace = load(out);
  EXPECT_EQ(trace->meta.backend, "strace");
  EXPECT_EQ(trace->meta.clock, "CLOCK_REALTIME");
  ASSERT_TRUE(trace->has_stats);
  EXPECT_EQ(trace->stats.root_status, 5);
  EXPECT_TRUE(trace->stats.alive_at_end.empty());
  for (std::size_t i = 1; i < trace->events.size(); ++i)
    EXPECT_LE(trace->events[i - 1].timestamp, trace->events[i].timestamp) << "written in time order";
  const Process& root = trace->tree[trace->tree.roots().front()];
  EXPECT_EQ(root.exit.code, 5);
  EXPECT_EQ(root.pgid(), getpgrp()) << "the command stays in the recorder's process group";
  const Process* sleep = find(*trace, "sleep");
  ASSERT_TRUE(sleep);
  EXPECT_EQ(sleep->exit.code, 0);
  EXPECT_EQ(sleep->parent, root.index);
  const Process* setsid = find(*trace, "true");
  ASSERT_TRUE(setsid);
  EXPECT_EQ(setsid->sid(), setsid->pid);
  bool subshell = false;
  for (auto& p : trace->tree.processes()) subshell |= p.exit.code == 3 && !p.execed();
  EXPECT_TRUE(subshell);
}

TEST(StraceBackend, CommandKilledBySignalGivesShellStatus) {
  REQUIRE_STRACE();
  TempDir dir;
  std::string out = dir.file("rec.jsonl");
  auto r = run_proctrace({"record", "--backend", "strace", "-o", out, "--", "sh", "-c", "kill -9 $$"});
  EXPECT_EQ(r.exit_code, 137) << r.err;
  auto trace = load(out);
  EXPECT_EQ(trace->tree[trace->tree.roots().front()].exit.signal, 9);
}

TEST(StraceBackend, StopsWhenTheCommandExitsAndListsWhatItLeftRunning) {
  REQUIRE_STRACE();
  TempDir dir;
  std::string out = dir.file("rec.jsonl");
  auto start = std::chrono::steady_clock::now();
  auto r = run_proctrace({"record", "--backend", "strace", "-o", out, "--", "sh", "-c",
                          "sleep 5 </dev/null >/dev/null 2>&1 & exit 0"});
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_LT(took, std::chrono::seconds(3)) << "strace -f alone would wait for the sleep";
  auto trace = load(out);
  ASSERT_EQ(trace->stats.alive_at_end.size(), 1u);
  const Process* sleep = find(*trace, "sleep");
  ASSERT_TRUE(sleep);
  EXPECT_EQ(trace->stats.alive_at_end[0], sleep->pid);
  ::kill(sleep->pid, SIGKILL);  // ours: the sleep we started
}

TEST(StraceBackend, WaitsForDescendantsWhenAsked) {
  REQUIRE_STRACE();
  TempDir dir;
  std::string out = dir.file("rec.jsonl");
  auto r = run_proctrace({"record", "--backend", "strace", "--wait-descendants", "5", "-o", out, "--", "sh", "-c",
                          "sleep 0.3 </dev/null >/dev/null 2>&1 & exit 0"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto trace = load(out);
  EXPECT_TRUE(trace->stats.alive_at_end.empty());
  const Process* sleep = find(*trace, "sleep");
  ASSERT_TRUE(sleep);
  EXPECT_EQ(sleep->exit.code, 0);
}

// Each of these used to become "no wait at all" (a deadline cast from inf,
// nan or 1e300 seconds lands in the past) and record an empty wait silently.
TEST(StraceBackend, WaitDescendantsRefusesValuesWithoutAFiniteMeaning) {
  TempDir dir;
  std::string out = dir.file("rec.jsonl");
  for (std::string value : {"inf", "nan", "-1", "1e300", "604801"}) {
    for (std::string backend : {"strace", "bpf"}) {
      auto r = run_proctrace({"record", "--backend", backend, "--wait-descendants", value, "-o", out, "--", "true"});
      EXPECT_EQ(r.exit_code, 2) << value << " " << backend << ": " << r.err;
      EXPECT_NE(r.err.find("--wait-descendants"), std::string::npos) << r.err;
      EXPECT_FALSE(std::ifstream(out)) << "wrote a recording for " << value;
    }
  }
}

TEST(StraceBackend, ForwardsSigtermToTheCommand) {
  REQUIRE_STRACE();
  TempDir dir;
  std::string out = dir.file("rec.jsonl");
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_RDWR);
    dup2(null, 1);
    dup2(null, 2);
    execl(proctrace_binary(), proctrace_binary(), "record", "--backend", "strace", "-o", out.c_str(), "--", "sleep", "30",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  // Wait until the command runs (its Exec is in the recording).
  for (int i = 0; i < 200 && read_file(out).find("\"Exec\"") == std::string::npos; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  ASSERT_NE(read_file(out).find("\"Exec\""), std::string::npos);
  ::kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << "proctrace itself must not die of the signal";
  EXPECT_EQ(WEXITSTATUS(status), 128 + SIGTERM);
  auto trace = load(out);
  ASSERT_TRUE(trace->has_stats);
  const Process& root = trace->tree[trace->tree.roots().front()];
  EXPECT_EQ(root.exit.signal, SIGTERM);
}

TEST(StraceBackend, MissingStraceIsAClearError) {
  TempDir dir;
  auto r = run({"env", "PATH=" + dir.path(), proctrace_binary(), "record", "--backend", "strace", "--", "/bin/true"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("strace is not installed"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace proctrace::testing
