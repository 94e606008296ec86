// Where `proctrace record` writes, when it runs as root: under sudo the
// recording is opened with the rights of the user who ran sudo, an existing
// file is never given away, and a symbolic link planted by another user is
// not followed. Real user (test_user.h), real files, both backends.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include "record/backends.h"
#include "record/test_user.h"

namespace proctrace::testing {
namespace {

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

struct stat stat_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st;
}

TEST(RecordingOutput, UnderSudoARootFileIsNeitherTruncatedNorGivenAway) {
  REQUIRE_ROOT_AND_TEST_USER(user);
  REQUIRE_SOME_BACKEND(backends);
  TempDir dir;
  ::chmod(dir.path().c_str(), 0755);  // like /etc: the user may look, not write
  std::string victim = dir.file("victim");
  write_file(victim, "root's secret\n");
  ::chmod(victim.c_str(), 0644);
  for (const std::string& backend : backends) {
    SCOPED_TRACE(backend);
    auto r = run(concat(user.sudo_env(), {proctrace_binary(), "record", "--backend", backend, "-o", victim, "--",
                                          "true"}));
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("Permission denied"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("opened as " + user.name()), std::string::npos) << r.err;
    EXPECT_EQ(read_file(victim), "root's secret\n");
    EXPECT_EQ(stat_of(victim).st_uid, 0u);
    EXPECT_EQ(stat_of(victim).st_gid, 0u);
  }
}

TEST(RecordingOutput, UnderSudoTheRecordingIsCreatedByTheUserAndNoFileIsChowned) {
  REQUIRE_ROOT_AND_TEST_USER(user);
  REQUIRE_SOME_BACKEND(backends);
  TempDir dir;
  ::chmod(dir.path().c_str(), 0755);
  std::string mine = dir.file("mine");
  ASSERT_EQ(::mkdir(mine.c_str(), 0755), 0);
  ASSERT_EQ(::chown(mine.c_str(), user.uid(), user.gid()), 0);
  // A file someone else owns but lets everybody write: written, not taken.
  std::string shared = mine + "/shared.jsonl";
  write_file(shared, "old\n");
  ::chmod(shared.c_str(), 0666);
  for (const std::string& backend : backends) {
    SCOPED_TRACE(backend);
    std::string fresh = mine + "/" + backend + ".jsonl";
    auto r = run(concat(user.sudo_env(),
                        {proctrace_binary(), "record", "--backend", backend, "-o", fresh, "--", "sh", "-c", "exit 4"}));
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_EQ(stat_of(fresh).st_uid, user.uid());
    EXPECT_EQ(stat_of(fresh).st_gid, user.gid());
    EXPECT_NE(read_file(fresh).find("{\"Stats\":"), std::string::npos);

    r = run(concat(user.sudo_env(), {proctrace_binary(), "record", "--backend", backend, "-o", shared, "--", "true"}));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(stat_of(shared).st_uid, 0u) << "an existing file keeps its owner";
    EXPECT_NE(read_file(shared).find("{\"Stats\":"), std::string::npos);
  }
}

TEST(RecordingOutput, ASymlinkPlantedByAnotherUserIsNotFollowed) {
  REQUIRE_ROOT_AND_TEST_USER(user);
  REQUIRE_SOME_BACKEND(backends);
  TempDir dir;
  ::chmod(dir.path().c_str(), 01777);  // like /tmp
  std::string target = dir.file("roots-file");
  write_file(target, "keep\n");
  std::string planted = dir.file("rec.jsonl");
  ASSERT_EQ(::symlink(target.c_str(), planted.c_str()), 0);
  ASSERT_EQ(::lchown(planted.c_str(), user.uid(), user.gid()), 0);
  for (const std::string& backend : backends) {
    SCOPED_TRACE(backend);
    auto r = run_proctrace({"record", "--backend", backend, "-o", planted, "--", "true"});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("refusing to follow"), std::string::npos) << r.err;
    EXPECT_EQ(read_file(target), "keep\n");
  }
}

TEST(RecordingOutput, OwnSymlinksInAPrivateDirectoryAreFollowed) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to own the link as root does";
  REQUIRE_SOME_BACKEND(available);
  TempDir dir;
  std::string target = dir.file("real.jsonl");
  std::string link = dir.file("latest.jsonl");
  ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
  auto r = run_proctrace({"record", "--backend", available.front(), "-o", link, "--", "true"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(read_file(target).find("{\"Stats\":"), std::string::npos);
}

TEST(RecordingOutput, HostileSudoIdsAreRejectedBeforeAnythingRuns) {
  if (::geteuid() != 0) GTEST_SKIP() << "SUDO_UID is only looked at when running as root";
  TempDir dir;
  std::string marker = dir.file("ran");
  std::string out = dir.file("rec.jsonl");
  const std::vector<std::pair<std::string, std::string>> cases{
      {"SUDO_UID=abc", "SUDO_GID=0"},         {"SUDO_UID=1001\x1b[31m", "SUDO_GID=0"},
      {"SUDO_UID=-1", "SUDO_GID=0"},          {"SUDO_UID=4294967295", "SUDO_GID=0"},
      {"SUDO_UID=99999999999", "SUDO_GID=0"}, {"SUDO_UID=3999999", "SUDO_GID=0"},
      {"SUDO_UID=65534", "SUDO_GID=x"},       {"SUDO_UID=65534", "SUDO_GID=3999999"},
      {"SUDO_UID=65534", "SUDO_GID="},
  };
  for (auto& [uid, gid] : cases) {
    SCOPED_TRACE(uid + " " + gid);
    auto r = run({"env", uid, gid, proctrace_binary(), "record", "-o", out, "--", "touch", marker});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("SUDO_"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << "no raw escape echoed";
    EXPECT_NE(::access(marker.c_str(), F_OK), 0) << "the command must not run";
    EXPECT_NE(::access(out.c_str(), F_OK), 0) << "nothing is written";
  }
}

}  // namespace
}  // namespace proctrace::testing
