// Inputs that cannot be mapped (stdin pipes, FIFOs, /dev/zero) are read like
// files, in bounded memory (issue 10): they used to be read whole into
// memory (5x the memory of the same file given by path), and /dev/zero grew
// until std::bad_alloc aborted the process (exit 134). A line longer than
// the limit is a bad line with file:line, never an abort.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <fstream>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>

#include "bounded_run.h"
#include "io/diagnostics.h"
#include "io/input_file.h"
#include "test_support.h"

namespace proctrace::testing {
namespace {

using namespace std::chrono_literals;

// AddressSanitizer reserves terabytes of shadow address space at start, so a
// sanitized binary cannot run under an address-space limit at all; there the
// limit is left off (ASan then reports any runaway allocation itself).
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSpaceCanBeLimited = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSpaceCanBeLimited = false;
#else
constexpr bool kAddressSpaceCanBeLimited = true;
#endif
#else
constexpr bool kAddressSpaceCanBeLimited = true;
#endif

void limit_address_space() {
  if (!kAddressSpaceCanBeLimited) return;
  struct rlimit limit{1ull << 30, 1ull << 30};  // 1 GiB: /dev/zero used to exceed any limit
  setrlimit(RLIMIT_AS, &limit);
}

std::string event_line(long i) {
  long pid = 100 + i % 30000;
  return "{\"Exec\":{\"timestamp\":" + std::to_string(10 + i) + ",\"pid\":" + std::to_string(pid) +
         ",\"ppid\":1,\"pgid\":1,\"cmdline\":[\"worker\",\"--index\",\"" + std::to_string(i) + "\"]}}\n";
}

std::string write_recording(const std::string& path, long events) {
  std::ofstream out(path);
  for (long i = 0; i < events; ++i) out << event_line(i);
  return path;
}

// Runs proctrace with stdin from stdin_path; returns exit code and the peak
// resident size (KiB) of that process alone.
std::pair<int, long> run_measured(const std::vector<std::string>& args, const std::string& stdin_path) {
  pid_t pid = fork();
  if (pid == 0) {
    int in = open(stdin_path.c_str(), O_RDONLY);
    int null = open("/dev/null", O_WRONLY);
    dup2(in, 0);
    dup2(null, 1);
    dup2(null, 2);
    std::vector<char*> argv{const_cast<char*>(proctrace_binary())};
    for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  struct rusage usage{};
  wait4(pid, &status, 0, &usage);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), usage.ru_maxrss};
}

TEST(StreamInput, DevZeroEndsWithAClearErrorInBoundedMemory) {
  for (bool as_stdin : {false, true}) {
    SCOPED_TRACE(as_stdin ? "stdin" : "path");
    Spawned child({proctrace_binary(), "render", as_stdin ? "-" : "/dev/zero"}, as_stdin ? "/dev/zero" : "",
                  limit_address_space);
    auto r = child.wait(120s);
    SCOPED_TRACE(r.err);
    ASSERT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, kExitFailure);
    EXPECT_NE(r.err.find(":1: line longer than 16 MiB"), std::string::npos);
    EXPECT_EQ(r.err.find("bad_alloc"), std::string::npos);
  }
}

TEST(StreamInput, FifoAndPipeReadLikeAFile) {
  TempDir dir;
  std::string file = write_recording(dir.file("r.jsonl"), 5000);
  auto expected = run_proctrace({"render", "-d", "by-process", file});
  ASSERT_EQ(expected.exit_code, 0) << expected.err;
  std::string fifo = dir.file("fifo");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&] {
    std::ofstream out(fifo);
    out << read_file(file);
  });
  auto through_fifo = run_proctrace_bounded({"render", "-d", "by-process", fifo}, 60s);
  writer.join();
  EXPECT_EQ(through_fifo.exit_code, 0) << through_fifo.err;
  EXPECT_EQ(through_fifo.out, expected.out);
  auto through_pipe =
      run({"sh", "-c", "cat '" + file + "' | " + proctrace_binary() + " render -d by-process"});
  EXPECT_EQ(through_pipe.exit_code, 0) << through_pipe.err;
  EXPECT_EQ(through_pipe.out, expected.out);
  auto stdin_file = run_proctrace({"render", "-d", "by-process"}, read_file(file));  // stdin is a file
  EXPECT_EQ(stdin_file.exit_code, 0) << stdin_file.err;
  EXPECT_EQ(stdin_file.out, expected.out);
}

TEST(StreamInput, LineLongerThanTheLimitIsABadLine) {
  TempDir dir;
  std::string path = dir.file("long.jsonl");
  {
    std::ofstream out(path);
    out << event_line(0);
    out << "{\"Exec\":{\"timestamp\":5,\"pid\":7,\"ppid\":1,\"pgid\":1,\"cmdline\":[\""
        << std::string(kMaxLineBytes, 'a') << "\"]}}\n";
    out << event_line(1);
  }
  // A file: the line is skipped and what follows is kept.
  auto r = run_proctrace_bounded({"sort", path}, 120s);
  EXPECT_EQ(r.exit_code, kExitInputErrors) << r.err;
  EXPECT_NE(r.err.find("long.jsonl:2: line longer than 16 MiB"), std::string::npos) << r.err;
  EXPECT_LT(r.err.size(), 4096u);
  EXPECT_EQ(r.out, event_line(0) + event_line(1));
  // A stream is read no further than that line (its end might never come).
  std::string limit = kAddressSpaceCanBeLimited ? "ulimit -v 1048576; " : "";
  auto s = run({"sh", "-c", limit + "cat '" + path + "' | " + proctrace_binary() + " sort -"});
  EXPECT_EQ(s.exit_code, kExitInputErrors) << s.err;
  EXPECT_NE(s.err.find("<stdin>:2: line longer than 16 MiB"), std::string::npos) << s.err;
  EXPECT_EQ(s.out, event_line(0));
}

// The same strace log line limit (strace -s can print long strings).
TEST(StreamInput, StraceLineLongerThanTheLimitIsABadLine) {
  TempDir dir;
  std::string path = dir.file("long.strace");
  {
    std::ofstream out(path);
    out << "100 execve(\"/bin/sh\", [\"sh\"], 0x7ffd /* 3 vars */) = 0\n";
    out << "100 write(1, \"" << std::string(kMaxLineBytes, 'a') << "\", 5) = 5\n";
    out << "100 +++ exited with 0 +++\n";
  }
  auto r = run_proctrace_bounded({"render", "-d", "tree", path}, 120s);
  EXPECT_EQ(r.exit_code, kExitInputErrors) << r.err;
  EXPECT_NE(r.err.find("long.strace:2: line longer than 16 MiB"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("exit 0"), std::string::npos) << r.out;
}

// `render < big` used to take about 5x the memory of `render big`.
TEST(StreamInput, StdinCostsNoMoreMemoryThanAPath) {
  TempDir dir;
  std::string file = write_recording(dir.file("big.jsonl"), 400000);  // ~40 MB
  auto [path_code, path_kib] = run_measured({"render", "-d", "multiplexed", file}, "/dev/null");
  auto [stdin_code, stdin_kib] = run_measured({"render", "-d", "multiplexed"}, file);
  std::string fifo = dir.file("fifo");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&] {
    std::ofstream out(fifo);
    out << read_file(file);
  });
  auto [pipe_code, pipe_kib] = run_measured({"render", "-d", "multiplexed", fifo}, "/dev/null");
  writer.join();
  EXPECT_EQ(path_code, 0);
  EXPECT_EQ(stdin_code, 0);
  EXPECT_EQ(pipe_code, 0);
  RecordProperty("path_kib", std::to_string(path_kib));
  RecordProperty("stdin_kib", std::to_string(stdin_kib));
  RecordProperty("fifo_kib", std::to_string(pipe_kib));
  std::printf("peak RSS: path %ld KiB, stdin %ld KiB, fifo %ld KiB\n", path_kib, stdin_kib, pipe_kib);
  EXPECT_LT(stdin_kib, path_kib + 16 * 1024);
  EXPECT_LT(pipe_kib, path_kib + 16 * 1024);
}

}  // namespace
}  // namespace proctrace::testing
