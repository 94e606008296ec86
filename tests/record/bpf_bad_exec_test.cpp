// Failed execs (BadExec) through the real eBPF recorder: the PATH search
// of execvp, a file that is not executable, and the probe named in Meta.
#include <gtest/gtest.h>

#include <cerrno>
#include <sys/stat.h>

#include "record/bpf_recording.h"

namespace proctrace::testing {
namespace {

TEST(BpfBadExec, PathSearchTriesEveryEntry) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  // env searches PATH with execvp: one failed execve per entry. (bash and
  // dash look a command up with stat() and never exec a missing one.)
  auto r = record_command({"sh", "-c", "env PATH=/nonexistent-a:/nonexistent-b nosuchcmd; /bin/true"});
  EXPECT_EQ(r.run.exit_code, 0) << r.run.err;
  // Only env's: the recorder finds "sh" on PATH without exec attempts, so
  // its own lookup leaves no failed execs in the recording.
  std::vector<Event> bad = events_of(*r.trace, EventKind::BadExec);
  ASSERT_EQ(bad.size(), 2u) << r.text;
  EXPECT_EQ(bad[0].filename, "/nonexistent-a/nosuchcmd");
  EXPECT_EQ(bad[1].filename, "/nonexistent-b/nosuchcmd");
  for (auto& e : bad) EXPECT_EQ(e.exec_errno, ENOENT);
  EXPECT_NE(r.text.find("\"error\":\"ENOENT\""), std::string::npos) << r.text;
  // They belong to the env process, which then exits 127.
  auto execs = events_of(*r.trace, EventKind::Exec);
  bool found = false;
  for (auto& e : execs)
    if (e.pid == bad[0].pid) found = e.cmdline.at(0) == "env";
  EXPECT_TRUE(found) << r.text;
  for (auto& p : r.trace->tree.processes())
    if (p.pid == bad[0].pid) EXPECT_EQ(p.failed_execs, 2u);
  EXPECT_EQ(r.trace->meta.extra.at("failed_exec_probe"), r.trace->meta.setpgid_probe);
}

TEST(BpfBadExec, NotExecutableIsEacces) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  TempDir dir;
  std::string script = dir.file("not-executable");
  write_file(script, "#!/bin/sh\nexit 0\n");
  chmod(script.c_str(), 0644);
  auto r = record_command({"/usr/bin/env", script});
  EXPECT_EQ(r.run.exit_code, 126);
  auto bad = events_of(*r.trace, EventKind::BadExec);
  ASSERT_EQ(bad.size(), 1u) << r.text;
  EXPECT_EQ(bad[0].filename, script);
  EXPECT_EQ(bad[0].exec_errno, EACCES);
}

TEST(BpfBadExec, SuccessfulExecsAreNotFailures) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  auto r = record_command({"/bin/sh", "-c", "/bin/true; /usr/bin/env /bin/true"});
  EXPECT_TRUE(events_of(*r.trace, EventKind::BadExec).empty()) << r.text;
}

}  // namespace
}  // namespace proctrace::testing
