// What the analysis commands do beyond the numbers: recordings get the
// lifecycle subset or a clear refusal, reused pids stay apart, threads are
// counted only when asked for, and bad command lines are usage errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "import/strace_test_helpers.h"

namespace proctrace::testing {
namespace {

using nlohmann::json;

TEST(AnalyzeCli, RecordingsGetTheLifecycleSubset) {
  std::string rec = fixture("recordings/make.jsonl");
  auto r = run_proctrace({"summary", rec});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("need an strace log"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("by total_time"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("% active"), std::string::npos) << "no syscall columns without syscalls";
  EXPECT_EQ(r.out.find("syscalls "), std::string::npos) << r.out;
  json doc = json::parse(run_proctrace({"summary", "--json", "-c", "0", rec}).out);
  EXPECT_FALSE(doc["have_syscalls"].get<bool>());
  ASSERT_EQ(doc["processes"].size(), doc["totals"]["processes"].get<std::size_t>());
  for (auto& p : doc["processes"]) {
    EXPECT_FALSE(p.contains("active_ns"));
    EXPECT_GT(p["total_ns"].get<std::uint64_t>(), 0u);
  }
  auto pid = run_proctrace({"pid", rec, std::to_string(doc["processes"][0]["pid"].get<int>())});
  ASSERT_EQ(pid.exit_code, 0) << pid.err;
  EXPECT_NE(pid.out.find("programs"), std::string::npos) << pid.out;

  for (auto view : {"list-pids", "files", "directories", "io"}) {
    auto bad = run_proctrace({view, rec});
    EXPECT_EQ(bad.exit_code, 1) << view;
    EXPECT_NE(bad.err.find(std::string(view) + " needs an strace log"), std::string::npos) << bad.err;
  }
  auto q = run_proctrace({"quantize", "read", rec});
  EXPECT_EQ(q.exit_code, 1);
  EXPECT_NE(q.err.find("quantize needs an strace log"), std::string::npos) << q.err;
}

TEST(AnalyzeCli, AReusedPidIsTwoProcesses) {
  TempDir dir;
  std::string log = dir.file("reuse.log");
  write_file(log,
             "300 10:00:00.000000 execve(\"/bin/sh\", [\"sh\"], 0x1 /* 1 var */) = 0 <0.000100>\n"
             "300 10:00:00.000200 clone(child_stack=NULL, flags=SIGCHLD) = 301 <0.000050>\n"
             "301 10:00:00.000300 getpid() = 301 <0.000010>\n"
             "301 10:00:00.000400 exit_group(1) = ?\n"
             "301 10:00:00.000500 +++ exited with 1 +++\n"
             "300 10:00:00.000600 wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 1}], 0, NULL) = 301 <0.000010>\n"
             "300 10:00:00.000700 clone(child_stack=NULL, flags=SIGCHLD) = 301 <0.000050>\n"
             "301 10:00:00.000800 getppid() = 300 <0.000020>\n"
             "301 10:00:00.000810 getppid() = 300 <0.000020>\n"
             "301 10:00:00.000900 exit_group(0) = ?\n"
             "301 10:00:00.001000 +++ exited with 0 +++\n"
             "300 10:00:00.001100 exit_group(0) = ?\n"
             "300 10:00:00.001200 +++ exited with 0 +++\n");
  json doc = json::parse(run_proctrace({"list-pids", "--json", "-p", "301", log}).out);
  ASSERT_EQ(doc["processes"].size(), 2u);
  EXPECT_EQ(doc["processes"][0]["syscalls"][0]["syscall"], "getpid");
  EXPECT_EQ(doc["processes"][1]["syscalls"][0]["syscall"], "getppid");
  EXPECT_EQ(doc["processes"][1]["syscalls"][0]["calls"], 2);
  auto text = run_proctrace({"summary", log});
  EXPECT_NE(text.out.find("\n  301#2 "), std::string::npos) << text.out;
  auto pid = run_proctrace({"pid", log, "301"});
  EXPECT_NE(pid.out.find("exit 1"), std::string::npos) << pid.out;
  EXPECT_NE(pid.out.find("exit 0"), std::string::npos) << pid.out;
}

TEST(AnalyzeCli, ThreadsCountOnlyWhenAskedFor) {
  TempDir dir;
  std::string log = unpack_strace_fixture("python.fttTyyy.log.xz", dir);
  json all = json::parse(run_proctrace({"summary", "--json", "-c", "0", log}).out);
  const json* python = nullptr;
  for (auto& p : all["processes"])
    if (p["threads"].size() > 1) python = &p;
  ASSERT_TRUE(python) << "threading.Thread x2 make a process with threads";
  std::string pid = std::to_string((*python)["pid"].get<int>());
  auto calls = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"summary", "--json"});
    args.push_back(log);
    json doc = json::parse(run_proctrace(args).out);
    EXPECT_EQ(doc["processes"].size(), 1u);
    return doc["processes"][0]["syscalls"].get<std::uint64_t>();
  };
  std::uint64_t main_thread = calls({"-p", pid});
  std::uint64_t with_threads = calls({"-p", pid, "-t"});
  EXPECT_LT(main_thread, with_threads);
  EXPECT_EQ(with_threads, (*python)["syscalls"].get<std::uint64_t>());
  std::string thread = std::to_string((*python)["threads"][1].get<int>());
  EXPECT_LT(calls({"-p", thread}), main_thread) << "a thread id alone: that thread's calls";
  EXPECT_EQ(calls({"-p", thread, "-t"}), with_threads) << "with its sibling threads: the whole process";

  json related = json::parse(run_proctrace({"summary", "--json", "-r", "-p", pid, log}).out);
  EXPECT_EQ(related["processes"].size(), all["processes"].size()) << "python and its two children";
}

TEST(AnalyzeCli, TimesCompareAcrossMidnight) {
  TempDir dir;
  std::string log = dir.file("midnight.log");
  write_file(log,
             "500 23:59:59.999000 execve(\"/bin/sleep\", [\"sleep\", \"0.001\"], 0x1 /* 1 var */) = 0 <0.000200>\n"
             "500 23:59:59.999300 clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=1000000}, NULL) = 0 "
             "<0.001100>\n"
             "500 00:00:00.000500 close(1) = 0 <0.000010>\n"
             "500 00:00:00.000600 exit_group(0) = ?\n"
             "500 00:00:00.000700 +++ exited with 0 +++\n");
  json doc = json::parse(run_proctrace({"summary", "--json", log}).out);
  auto& p = doc["processes"][0];
  EXPECT_EQ(p["total_ns"], 1'700'000);
  EXPECT_EQ(p["wait_ns"], 1'100'000);
  EXPECT_EQ(p["active_ns"], 210'000);
  auto files = run_proctrace({"summary", log});
  EXPECT_NE(files.out.find("23:59:59.999000 -> 00:00:00.000700 (1.700 ms)"), std::string::npos) << files.out;
}

TEST(AnalyzeCli, AThreadsExecveKeepsTheFiguresWhole) {
  // Thread 401 execs: strace reports the leader superseded, the call ends
  // under 400, and the process goes on with no other thread.
  TempDir dir;
  std::string log = dir.file("thread-exec.log");
  write_file(log,
             "400 10:00:00.000000 execve(\"/usr/bin/python3\", [\"python3\", \"x.py\"], 0x1 /* 1 var */) = 0 "
             "<0.000200>\n"
             "400 10:00:00.000300 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM, "
             "child_tid=0x7f, parent_tid=0x7f, exit_signal=0, stack=0x7f, stack_size=0x7fff00, tls=0x7f} => "
             "{parent_tid=[401]}, 88) = 401 <0.000050>\n"
             "400 10:00:00.000400 futex(0x7f, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, FUTEX_BITSET_MATCH_ANY <unfinished "
             "...>\n"
             "401 10:00:00.000500 getpid() = 400 <0.000010>\n"
             "401 10:00:00.000600 execve(\"/bin/true\", [\"true\"], 0x1 /* 1 var */ <unfinished ...>\n"
             "400 10:00:00.000700 +++ superseded by execve in pid 401 +++\n"
             "400 10:00:00.000800 <... execve resumed>) = 0 <0.000200>\n"
             "400 10:00:00.000900 brk(NULL) = 0x55 <0.000010>\n"
             "400 10:00:00.001000 exit_group(0) = ?\n"
             "400 10:00:00.001100 +++ exited with 0 +++\n");
  json doc = json::parse(run_proctrace({"summary", "--json", log}).out);
  ASSERT_EQ(doc["processes"].size(), 1u) << "a thread is not a process";
  auto& p = doc["processes"][0];
  EXPECT_EQ(p["syscalls"], 5) << "the leader's futex never returned: not counted, as strace -c";
  EXPECT_LE(p["active_ns"].get<std::uint64_t>() + p["wait_ns"].get<std::uint64_t>(), p["total_ns"].get<std::uint64_t>());
  json exec = json::parse(run_proctrace({"exec", "--json", log}).out);
  ASSERT_EQ(exec["execs"].size(), 2u);
  EXPECT_EQ(exec["execs"][1]["argv"], json::array({"true"}));
  EXPECT_EQ(exec["execs"][1]["exit"]["code"], 0);
  json threads = json::parse(run_proctrace({"summary", "--json", "-p", "401", "-t", log}).out);
  EXPECT_EQ(threads["processes"][0]["syscalls"], 5);
}

TEST(AnalyzeCli, TreeNarrowsRenderTree) {
  TempDir dir;
  std::string log = unpack_strace_fixture("make.fttTyyy.log.xz", dir);
  auto whole = run_proctrace({"tree", log});
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  EXPECT_EQ(whole.out, run_proctrace({"render", "-d", "tree", log}).out);
  // cc -c a.c: its subtree is cc1 and as; -r adds make above it.
  json all = json::parse(run_proctrace({"tree", "--json", log}).out);
  int cc = 0;
  for (auto& p : all["processes"])
    if (p["command"] == "cc -O0 -c a.c -o a.o") cc = p["pid"];
  ASSERT_NE(cc, 0);
  auto sub = run_proctrace({"tree", "-p", std::to_string(cc), log});
  EXPECT_TRUE(sub.out.starts_with(std::to_string(cc) + " [exit 0] cc -O0 -c a.c -o a.o\n")) << sub.out;
  EXPECT_NE(sub.out.find("├─"), std::string::npos) << sub.out;
  EXPECT_NE(sub.out.find("] as --64 -o a.o"), std::string::npos) << sub.out;
  EXPECT_EQ(sub.out.find("b.c"), std::string::npos) << sub.out;
  auto up = run_proctrace({"tree", "-r", "-p", std::to_string(cc), log});
  EXPECT_NE(up.out.find("make -s -j2\n└─" + std::to_string(cc)), std::string::npos) << up.out;

  TempDir pdir;
  std::string py = unpack_strace_fixture("python.fttTyyy.log.xz", pdir);
  auto braces = run_proctrace({"tree", py});
  auto lines = run_proctrace({"tree", "-t", py});
  EXPECT_NE(braces.out.find("threads.py {"), std::string::npos) << braces.out;
  EXPECT_NE(lines.out.find("├─{thread "), std::string::npos) << lines.out;
  EXPECT_EQ(lines.out.find("threads.py {"), std::string::npos) << lines.out;
}

TEST(AnalyzeCli, BadCommandLinesAreUsageErrors) {
  std::string rec = fixture("recordings/make.jsonl");
  EXPECT_EQ(run_proctrace({"summary", "-s", "nonsense", rec}).exit_code, 2);
  EXPECT_EQ(run_proctrace({"files", "-s", "size", rec}).exit_code, 2);
  EXPECT_EQ(run_proctrace({"pid", rec}).exit_code, 2) << "pid needs a process id";
  EXPECT_EQ(run_proctrace({"exec", "-p", "abc", rec}).exit_code, 2);
  EXPECT_EQ(run_proctrace({"quantize"}).exit_code, 2);
  auto missing = run_proctrace({"summary", "/nonexistent/trace.log"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("/nonexistent/trace.log"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace proctrace::testing
