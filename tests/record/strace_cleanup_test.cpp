// A SIGKILLed strace-backend recorder: strace dies with it (PR_SET_PDEATHSIG),
// and the next recorder removes the temporary directory it left in /tmp, and
// nothing else there. Real strace, real SIGKILL.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "load/trace.h"
#include "record/strace_fifo.h"
#include "record/backends.h"
#include "test_support.h"

namespace proctrace::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;


// The base directory the recorder uses: /tmp for root, else $TMPDIR.
std::string temp_base() {
  const char* base = std::getenv("TMPDIR");
  return geteuid() == 0 || !base || !*base ? "/tmp" : base;
}

// Alive and not a zombie waiting for init.
bool running(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), {});
  std::size_t paren = text.rfind(')');
  return paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] != 'Z';
}

std::vector<std::string> dirs_of(pid_t recorder) {
  std::vector<std::string> out;
  std::string prefix = "proctrace-strace-" + std::to_string(recorder) + "-";
  for (auto& entry : fs::directory_iterator(temp_base()))
    if (entry.path().filename().string().rfind(prefix, 0) == 0) out.push_back(entry.path());
  return out;
}

// A pid that no process has any more.
pid_t dead_pid() {
  pid_t pid = fork();
  if (pid == 0) _exit(0);
  waitpid(pid, nullptr, 0);
  return pid;
}

TEST(StraceCleanup, AKilledRecordersStraceDiesAndItsDirectoryIsRemovedNextTime) {
  REQUIRE_STRACE();
  TempDir dir;
  std::string out = dir.file("rec.jsonl");
  pid_t recorder = fork();
  if (recorder == 0) {
    int null = open("/dev/null", O_RDWR);
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    execl(proctrace_binary(), proctrace_binary(), "record", "--backend", "strace", "-o", out.c_str(), "--", "sleep",
          "30", static_cast<char*>(nullptr));
    _exit(127);
  }
  for (int i = 0; i < 400 && read_file(out).find("\"cmdline\":[\"sleep\"") == std::string::npos; ++i)
    std::this_thread::sleep_for(25ms);
  pid_t strace = 0;
  std::ifstream(fs::path("/proc") / std::to_string(recorder) / "task" / std::to_string(recorder) / "children") >>
      strace;
  auto left = dirs_of(recorder);
  kill(recorder, SIGKILL);
  waitpid(recorder, nullptr, 0);
  // The traced sleep is detached, not killed, whatever happens below: end it.
  struct EndSleep {
    std::string recording;
    ~EndSleep() {
      Diagnostics diag(false);
      auto trace = load_trace({recording}, diag);
      for (auto& p : trace->tree.processes())
        if (p.command() && !p.command()->empty() && (*p.command())[0] == "sleep") kill(p.pid, SIGKILL);
    }
  } end_sleep{out};
  ASSERT_NE(read_file(out).find("\"cmdline\":[\"sleep\""), std::string::npos);
  ASSERT_GT(strace, 0);
  ASSERT_EQ(left.size(), 1u) << "the temporary directory is named after its recorder";
  bool strace_gone = false;
  for (int i = 0; i < 200 && !(strace_gone = !running(strace)); ++i) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(strace_gone) << "strace " << strace << " outlived its recorder";
  EXPECT_TRUE(fs::exists(left[0])) << "nobody could remove it yet";

  auto r = run_proctrace({"record", "--backend", "strace", "-o", dir.file("next.jsonl"), "--", "true"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(left[0])) << "the next recorder removes what a dead one left";
}

TEST(StraceCleanup, OnlyDirectoriesOfDeadRecordersThatAreOursAreRemoved) {
  TempDir dir;
  std::string base = dir.path();
  pid_t dead = dead_pid();
  std::string stale = base + "/proctrace-strace-" + std::to_string(dead) + "-aaaaaa";
  std::string live = base + "/proctrace-strace-" + std::to_string(getpid()) + "-bbbbbb";
  std::string bad_name = base + "/proctrace-strace-x" + std::to_string(dead) + "-cccccc";
  std::string link = base + "/proctrace-strace-" + std::to_string(dead) + "-dddddd";
  std::string precious = base + "/precious";
  for (auto& d : {stale, live, bad_name, precious}) ASSERT_EQ(mkdir(d.c_str(), 0700), 0) << d;
  ASSERT_EQ(mkfifo((stale + "/out").c_str(), 0600), 0);
  write_file(precious + "/out", "keep");
  ASSERT_EQ(symlink(precious.c_str(), link.c_str()), 0);

  EXPECT_EQ(remove_stale_strace_dirs(base), 1);
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(live)) << "its recorder still runs";
  EXPECT_TRUE(fs::exists(bad_name));
  EXPECT_TRUE(fs::is_symlink(link)) << "a link is not a directory of ours";
  EXPECT_EQ(read_file(precious + "/out"), "keep") << "never followed";
}

TEST(StraceCleanup, ADirectoryOfAnotherUserIsLeftAlone) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to make a directory another user owns";
  TempDir dir;
  std::string theirs = dir.path() + "/proctrace-strace-" + std::to_string(dead_pid()) + "-eeeeee";
  ASSERT_EQ(mkdir(theirs.c_str(), 0700), 0);
  ASSERT_EQ(chown(theirs.c_str(), 65534, 65534), 0);
  EXPECT_EQ(remove_stale_strace_dirs(dir.path()), 0);
  EXPECT_TRUE(fs::exists(theirs));
}

}  // namespace
}  // namespace proctrace::testing
