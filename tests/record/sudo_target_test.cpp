// Under sudo, both backends run the command as the user who ran sudo, with
// that user's HOME, USER and LOGNAME, as `sudo -u user` would: a real user
// (test_user.h) and simulated sudo (SUDO_UID/SUDO_GID set as sudo sets them).
#include <gtest/gtest.h>

#include <unistd.h>

#include "record/bpf_recording.h"
#include "record/test_user.h"

namespace proctrace::testing {
namespace {

RunResult record_as_sudo(const TestUser& user, const std::string& backend, const std::string& out,
                         const std::string& script) {
  std::vector<std::string> argv = user.sudo_env();
  // What root's environment under sudo looks like.
  argv.insert(argv.end(), {"HOME=/root", "USER=root", "LOGNAME=root", proctrace_binary(), "record", "--backend",
                           backend, "-o", out, "--", "sh", "-c", script});
  return run(argv);
}

constexpr const char* kWhoAmI = "id -u; id -g; id -G; echo \"$HOME $USER $LOGNAME\"";

std::string expected_identity(const TestUser& user) {
  std::string uid = std::to_string(user.uid()), gid = std::to_string(user.gid());
  return uid + "\n" + gid + "\n" + gid + "\n" + user.home() + " " + user.name() + " " + user.name() + "\n";
}

TEST(SudoTarget, StraceBackendRunsTheCommandAndStraceAsTheUser) {
  REQUIRE_ROOT_AND_TEST_USER(user);
  if (run({"strace", "-f", "-o", "/dev/null", "true"}).exit_code != 0) GTEST_SKIP() << "strace cannot run here";
  TempDir dir;
  ASSERT_EQ(::chown(dir.path().c_str(), user.uid(), user.gid()), 0);
  std::string out = dir.file("rec.jsonl");
  auto r = record_as_sudo(user, "strace", out, kWhoAmI);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, expected_identity(user));
  // The command's parent is strace: it must not be root either.
  r = record_as_sudo(user, "strace", out, "awk '/^Uid:/ {print $2}' /proc/$PPID/status");
  EXPECT_EQ(r.out, std::to_string(user.uid()) + "\n") << r.err;
  EXPECT_NE(read_file(out).find("{\"Stats\":"), std::string::npos);
}

TEST(SudoTarget, BpfBackendRunsTheCommandAsTheUserWithTheirEnvironment) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  REQUIRE_ROOT_AND_TEST_USER(user);
  TempDir dir;
  ASSERT_EQ(::chown(dir.path().c_str(), user.uid(), user.gid()), 0);
  auto r = record_as_sudo(user, "bpf", dir.file("rec.jsonl"), kWhoAmI);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, expected_identity(user));
}

TEST(SudoTarget, WithoutSudoTheEnvironmentIsLeftAlone) {
  if (run({"strace", "-f", "-o", "/dev/null", "true"}).exit_code != 0) GTEST_SKIP() << "strace cannot run here";
  TempDir dir;
  auto r = run({"env", "-u", "SUDO_UID", "HOME=/somewhere", "USER=someone", "LOGNAME=someone", proctrace_binary(),
                "record", "--backend", "strace", "-o", dir.file("rec.jsonl"), "--", "sh", "-c",
                "echo \"$HOME $USER $LOGNAME\""});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "/somewhere someone someone\n");
}

}  // namespace
}  // namespace proctrace::testing
