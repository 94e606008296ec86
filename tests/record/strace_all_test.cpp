// `record --all`: systrument's full strace log kept beside the recording.
// Real strace over real commands; the kept log must be what the syscall
// analyses read, and agree with the recording made from the same output.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include "record/test_user.h"
#include "record/backends.h"
#include "test_support.h"

namespace proctrace::testing {
namespace {

TEST(StraceAll, KeepsTheWholeLogAndTheAnalysesReadIt) {
  REQUIRE_STRACE();
  TempDir dir;
  const std::string rec = dir.file("job.jsonl"), log = dir.file("job.strace.log");
  write_file(dir.file("marker.txt"), "x\n");
  auto r = run_proctrace({"record", "--all", "-o", rec, "--", "sh", "-c",
                          "cat " + dir.file("marker.txt") + " | wc -c; exit 3"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  const std::string text = read_file(log);
  ASSERT_FALSE(text.empty()) << r.err;
  // Every syscall, with -yy's fd identities: cat's read of the marker and
  // the pipe it writes into.
  EXPECT_NE(text.find(dir.file("marker.txt")), std::string::npos);
  EXPECT_NE(text.find("<pipe:["), std::string::npos);
  // The same processes and exits from the log as in the recording.
  auto from_log = run_proctrace({"tree", log}), from_rec = run_proctrace({"tree", rec});
  EXPECT_EQ(from_log.exit_code, 0) << from_log.err;
  EXPECT_EQ(from_log.out, from_rec.out);
  EXPECT_NE(from_rec.out.find("[exit 3] sh -c"), std::string::npos) << from_rec.out;
  // files: cat opened the marker.
  auto files = run_proctrace({"files", log});
  EXPECT_EQ(files.exit_code, 0) << files.err;
  EXPECT_NE(files.out.find("marker.txt"), std::string::npos) << files.out;
  // The recording itself stays lifecycle events only.
  EXPECT_EQ(read_file(rec).find("\"openat\""), std::string::npos);
}

TEST(StraceAll, OtherNamesAndBadCombinations) {
  REQUIRE_STRACE();
  TempDir dir;
  auto r = run_proctrace({"record", "--all", "-o", dir.file("rec.prof"), "--", "true"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(read_file(dir.file("rec.prof.strace.log")).empty());
  r = run_proctrace({"record", "--all", "-o", dir.file("c.jsonl.zst"), "--", "true"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(read_file(dir.file("c.strace.log")).empty());
  for (const std::vector<std::string>& bad : {std::vector<std::string>{"--backend", "bpf"},
                                              std::vector<std::string>{"-o", "-"},
                                              std::vector<std::string>{"--attach", "1"}}) {
    std::vector<std::string> args{"record", "--all"};
    args.insert(args.end(), bad.begin(), bad.end());
    if (bad[0] != "--attach") args.insert(args.end(), {"--", "touch", dir.file("ran")});
    auto b = run_proctrace(args);
    EXPECT_EQ(b.exit_code, 2) << bad[0] << "\n" << b.err;
  }
  struct stat st {};
  EXPECT_NE(::stat(dir.file("ran").c_str(), &st), 0) << "nothing ran";
}

TEST(StraceAll, UnderSudoTheLogIsTheUsers) {
  REQUIRE_ROOT_AND_TEST_USER(user);
  REQUIRE_STRACE();
  TempDir dir;
  ASSERT_EQ(::chown(dir.path().c_str(), user.uid(), user.gid()), 0);
  std::vector<std::string> argv = user.sudo_env();
  argv.insert(argv.end(), {proctrace_binary(), "record", "--all", "-o", dir.file("rec.jsonl"), "--", "true"});
  auto r = run(argv);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  struct stat st {};
  ASSERT_EQ(::stat(dir.file("rec.strace.log").c_str(), &st), 0) << r.err;
  EXPECT_EQ(st.st_uid, user.uid());
  // A log name taken by root's file in a directory of the user's is
  // truncated only if the user may: here it may not.
  write_file(dir.file("r2.strace.log"), "root's\n");
  ASSERT_EQ(::chmod(dir.file("r2.strace.log").c_str(), 0644), 0);
  argv = user.sudo_env();
  argv.insert(argv.end(), {proctrace_binary(), "record", "--all", "-o", dir.file("r2.jsonl"), "--", "true"});
  r = run(argv);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(read_file(dir.file("r2.strace.log")), "root's\n");
  EXPECT_NE(r.err.find("Permission denied"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace proctrace::testing
