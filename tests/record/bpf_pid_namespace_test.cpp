// The eBPF recorder inside a PID namespace, as in a container or a CI job:
// the real proctrace binary started by a real `unshare -p -f`, with and
// without a /proc of the namespace's own. Pids in the recording are the
// namespace's; each event keeps the host's in host_pid.
#include <gtest/gtest.h>

#include <unistd.h>

#include "record/bpf_recording.h"

namespace proctrace::testing {
namespace {

bool have_unshare() { return access("/usr/bin/unshare", X_OK) == 0; }

Recorded record_in_pid_namespace(bool own_proc, const std::vector<std::string>& command) {
  TempDir dir;
  std::string out = dir.file("recording.jsonl");
  std::vector<std::string> args{"/usr/bin/unshare", "-p", "-f"};
  if (own_proc) args.push_back("--mount-proc");
  for (std::string a : {proctrace_binary(), "record", "--backend", "bpf", "-o", out.c_str(), "--"}) args.push_back(a);
  args.insert(args.end(), command.begin(), command.end());
  Recorded r;
  r.run = run(args);
  r.text = read_file(out);
  Diagnostics diag(false);
  r.trace = load_trace({out}, diag);
  EXPECT_EQ(diag.errors(), 0u) << r.text;
  return r;
}

void expect_namespace_recording(bool own_proc) {
  if (!have_unshare()) GTEST_SKIP() << "no /usr/bin/unshare";
  auto r = record_in_pid_namespace(own_proc, {"sh", "-c", "ls / >/dev/null; exit 3"});
  EXPECT_EQ(r.run.exit_code, 3) << r.run.err;
  EXPECT_EQ(describe_tree(*r.trace),
            "sh -c ls / >/dev/null; exit 3 : exit 3\n"
            "  (fork) => ls / : exit 0\n")
      << r.text << r.run.err;
  ASSERT_TRUE(r.trace->has_meta);
  EXPECT_EQ(r.trace->meta.extra.count("pid_namespace"), 1u) << r.text;
  // unshare -f makes proctrace the namespace's init (pid 1): the command
  // is its child, with a small pid there and another one on the host.
  auto execs = events_of(*r.trace, EventKind::Exec);
  ASSERT_EQ(execs.size(), 2u) << r.text;
  EXPECT_EQ(execs[0].ppid, 1);
  EXPECT_GT(execs[0].pid, 1);
  EXPECT_LT(execs[0].pid, 100);
  ASSERT_TRUE(execs[0].host_pid.has_value());
  EXPECT_NE(*execs[0].host_pid, execs[0].pid);
  EXPECT_EQ(execs[1].ppid, execs[0].pid);
  auto forks = events_of(*r.trace, EventKind::Fork);
  ASSERT_EQ(forks.size(), 1u);
  EXPECT_EQ(forks[0].pid, execs[0].pid);
  EXPECT_EQ(forks[0].child_pid, execs[1].pid);
  EXPECT_EQ(forks[0].host_pid, execs[1].host_pid);
  EXPECT_EQ(r.trace->stats.root_status, 3);
  EXPECT_TRUE(r.trace->stats.alive_at_end.empty());
}

TEST(BpfPidNamespace, RecordsInsideUnshareWithItsOwnProc) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  expect_namespace_recording(true);
}

TEST(BpfPidNamespace, RecordsInsideUnshareWithTheHostsProc) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  expect_namespace_recording(false);
}

TEST(BpfPidNamespace, OutsideANamespaceEventsCarryNoHostPid) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  auto r = record_command({"sh", "-c", "true"});
  EXPECT_EQ(r.text.find("host_pid"), std::string::npos) << r.text;
  EXPECT_EQ(r.trace->meta.extra.count("pid_namespace"), 0u);
}

}  // namespace
}  // namespace proctrace::testing
