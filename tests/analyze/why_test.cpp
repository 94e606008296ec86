// `proctrace why` on real recordings made by the eBPF recorder: the job's
// stdout held by a background process, a timeout on a fifo nobody writes, a
// deadlock over two fifos, a setsid daemon keeping stderr, a harness whose
// child inherits fd 3, a vfork parent in D state, failures. Each runs real
// processes through the real binary and checks what `why` answers.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "../record/bpf_recording.h"
#include "test_support.h"

namespace proctrace::testing {
namespace {

std::string sh_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct Why {
  std::string text;
  nlohmann::json json;
};

Why why(const std::string& recording) {
  Why w;
  RunResult text = run_proctrace({"why", recording});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  w.text = text.out;
  RunResult json = run_proctrace({"why", "--json", recording});
  EXPECT_EQ(json.exit_code, 0) << json.err;
  w.json = nlohmann::json::parse(json.out);
  return w;
}

// Milliseconds from the "name ms" lines the shell scripts below print.
long mark(const std::string& err, const std::string& name) {
  auto at = err.find(name + " ");
  if (at == std::string::npos) return -1;
  return std::stol(err.substr(at + name.size() + 1));
}

// Runs `script` with sh; P is the proctrace binary, T0 the start in ms.
RunResult run_script(const std::string& script, const std::string& cwd) {
  std::string prelude = "cd " + sh_quote(cwd) + "; P=" + sh_quote(proctrace_binary()) +
                        "; ms() { echo $(( $(date +%s%N) / 1000000 - T0 )); }; T0=$(( $(date +%s%N) / 1000000 )); ";
  return run({"sh", "-c", prelude + script});
}

TEST(Why, BackgroundProcessHoldingStdoutIsNamed) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  TempDir dir;
  // The pipeline, with a 2 s sleep: the recorder ends with the
  // command, the pipe's reader sees EOF only when sleep lets go. The pause
  // lets the background child exec sleep before the root exits: under load
  // the snapshot could otherwise find it still a forked sh.
  RunResult r = run_script(
      "$P record -o r -- sh -c 'sleep 2 & sleep 0.3; echo done' | { cat >/dev/null; echo \"eof $(ms)\" >&2; }; "
      "echo \"end $(ms)\" >&2",
      dir.path());
  // The pipeline ends with sleep, which holds the pipe, not before.
  long eof = mark(r.err, "eof");
  EXPECT_GE(eof, 1800) << r.err;
  Why w = why(dir.file("r"));
  EXPECT_EQ(w.json["verdict"], "hang") << w.text;
  EXPECT_NE(w.text.find("kept its stdout"), std::string::npos) << w.text;
  EXPECT_NE(w.text.find("`sleep 2` (fd 1, inherited from `sh -c"), std::string::npos) << w.text;
  ASSERT_EQ(w.json["held_stdio"].size(), 1u);
  EXPECT_EQ(w.json["held_stdio"][0]["holders"][0]["command"], "sleep 2");
}

TEST(Why, RecorderNeverHoldsTheJobsStdoutLongerThanTheCommand) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  TempDir dir;
  // The recorder waits 2 s for sleep, which does not hold stdout: the
  // pipe must close when sh exits, not when the recorder does.
  RunResult r = run_script(
      "$P record -o r --wait-descendants 10 -- sh -c 'sleep 2 >/dev/null 2>&1 & echo done' | { cat >/dev/null; "
      "echo \"eof $(ms)\" >&2; }; echo \"end $(ms)\" >&2",
      dir.path());
  long end = mark(r.err, "end"), eof = mark(r.err, "eof");
  EXPECT_GE(end, 1800) << r.err;
  EXPECT_GE(eof, 0) << r.err;
  EXPECT_LT(eof, 1200) << r.err;
}

TEST(Why, TimeoutOnAFifoNobodyWrites) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  TempDir dir;
  auto start = std::chrono::steady_clock::now();
  RunResult r = run_script("$P record -o r --timeout 1 -- sh -c 'mkfifo f; cat f'", dir.path());
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(r.exit_code, 124) << r.err;
  EXPECT_LT(seconds, 2.0);
  EXPECT_NE(r.err.find("timeout: snapshot of"), std::string::npos) << r.err;
  Why w = why(dir.file("r"));
  EXPECT_EQ(w.json["verdict"], "timeout") << w.text;
  EXPECT_NE(w.text.find("`cat f` blocks opening the fifo f for reading, which no process has open for writing"),
            std::string::npos)
      << w.text;
}

TEST(Why, DeadlockOverTwoFifos) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  TempDir dir;
  RunResult r = run_script(
      "$P record -o r --timeout 1 -- sh -c 'mkfifo a b; (exec 3<a 4>b; read x <&3) & (exec 4>a 3<b; read y <&3) & "
      "wait'",
      dir.path());
  EXPECT_EQ(r.exit_code, 124) << r.err;
  Why w = why(dir.file("r"));
  EXPECT_EQ(w.json["deadlock"], true) << w.text;
  EXPECT_NE(w.text.find("deadlock: "), std::string::npos) << w.text;
  EXPECT_NE(w.text.find("blocks reading " + dir.file("a")), std::string::npos) << w.text;
  EXPECT_NE(w.text.find("blocks reading " + dir.file("b")), std::string::npos) << w.text;
}

TEST(Why, SetsidDaemonKeepingStderr) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  TempDir dir;
  // stderr is the pipe, stdout a file: the daemon keeps only stderr.
  RunResult r = run_script(
      "{ $P record -o r -- sh -c 'setsid sleep 2 </dev/null >/dev/null & sleep 0.5; echo started'; } 2>&1 >/dev/null | cat "
      ">/dev/null",
      dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  Why w = why(dir.file("r"));
  EXPECT_EQ(w.json["verdict"], "hang") << w.text;
  EXPECT_NE(w.text.find("kept its stderr"), std::string::npos) << w.text;
  EXPECT_NE(w.text.find("`sleep 2` (fd 2"), std::string::npos) << w.text;
  EXPECT_EQ(w.text.find("kept its stdout"), std::string::npos) << w.text;
}

TEST(Why, HarnessChildInheritingFd3) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  TempDir dir;
  // bats keeps its output on fd 3; a background process of a test that
  // closes 1 and 2 but not 3 still holds the harness's pipe. (The inner sh
  // waits until the sleep has exec'd: on a loaded machine the root could
  // otherwise end while the holder is still a forked sh.)
  RunResult r = run_script(
      "{ $P record -o r -- sh -c 'exec 3>&1; sh -c \"sleep 2 >/dev/null 2>&1 & "
      "while read c < /proc/\\$!/comm && [ \\$c != sleep ]; do :; done\"; echo ok'; } | cat >/dev/null",
      dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  Why w = why(dir.file("r"));
  EXPECT_EQ(w.json["verdict"], "hang") << w.text;
  EXPECT_NE(w.text.find("`sleep 2` (fd 3"), std::string::npos) << w.text;
}

TEST(Why, FailureNamesTheFirstFailedProcessAndItsAncestors) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  auto rec = record_command({"sh", "-c", "true; sh -c 'sh -c \"exit 7\"; exit $?'; exit $?"});
  EXPECT_EQ(rec.run.exit_code, 7);
  TempDir dir;
  write_file(dir.file("r"), rec.text);
  Why w = why(dir.file("r"));
  EXPECT_EQ(w.json["verdict"], "failure") << w.text;
  EXPECT_EQ(w.json["failure"]["command"], "sh -c 'exit 7'") << w.text;
  EXPECT_EQ(w.json["failure"]["status"]["code"], 7);
  EXPECT_EQ(w.json["failure"]["ancestors"].size(), 2u) << w.text;
  EXPECT_NE(w.text.find("failure: the command exited 7"), std::string::npos) << w.text;
}

TEST(Why, FailedExecIsNamedAsSuch) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  // A path, not a bare name: dash looks bare names up with stat() and never
  // forks for a missing one; for a path it forks and the child's execve fails.
  auto rec = record_command({"sh", "-c", "/no-such-dir-proctrace-why/prog; exit $?"});
  EXPECT_EQ(rec.run.exit_code, 127);
  TempDir dir;
  write_file(dir.file("r"), rec.text);
  Why w = why(dir.file("r"));
  EXPECT_EQ(w.json["failure"]["failed_exec"], true) << w.text;
  EXPECT_NE(w.text.find("failed exec"), std::string::npos) << w.text;
}

TEST(Why, SuccessSaysOk) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  auto rec = record_command({"sh", "-c", "true"});
  TempDir dir;
  write_file(dir.file("r"), rec.text);
  Why w = why(dir.file("r"));
  EXPECT_EQ(w.json["verdict"], "ok") << w.text;
}

TEST(Why, DStateProcess) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  TempDir dir;
  RunResult r = run_script("$P record -o r --timeout 1 -- " + sh_quote(PROCTRACE_VFORK_HELPER) + " 30", dir.path());
  EXPECT_EQ(r.exit_code, 124) << r.err;  // TERM ends a killable wait
  // The recorder's own account names the call the parent waits in.
  EXPECT_NE(r.err.find(" D in clone"), std::string::npos) << r.err;
  Why w = why(dir.file("r"));
  EXPECT_EQ(w.json["verdict"], "timeout") << w.text;
  // The vfork parent is in D until its child exits; the child sleeps (S).
  std::string states, parent_waits;
  for (auto& a : w.json["alive"]) {
    states += a.value("state", "?");
    if (a.value("state", "") == "D") parent_waits = a.value("waits_on", "");
  }
  std::sort(states.begin(), states.end());
  EXPECT_EQ(states, "DS") << w.json.dump(1);
  EXPECT_EQ(parent_waits.rfind("is in uninterruptible sleep (D)", 0), 0u) << parent_waits;
  EXPECT_NE(w.text.find("is in uninterruptible sleep (D)"), std::string::npos) << w.text;
}

}  // namespace
}  // namespace proctrace::testing
