// `record --report-dir`: real recordings of real commands, the files they
// leave, the job summary, and who opens what under sudo.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include "record/backends.h"
#include "record/test_user.h"

namespace proctrace::testing {
namespace {

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

// proctrace record with a clean environment as far as the job summary goes.
RunResult record(const std::vector<std::string>& args, const std::string& step_summary = "") {
  std::vector<std::string> argv{"env"};
  if (step_summary.empty()) argv.push_back("-u");
  argv.push_back(step_summary.empty() ? "GITHUB_STEP_SUMMARY" : "GITHUB_STEP_SUMMARY=" + step_summary);
  argv.push_back(proctrace_binary());
  argv.push_back("record");
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv);
}

TEST(ReportDir, AFailingCommandLeavesTheWholeReportAndItsStatus) {
  REQUIRE_SOME_BACKEND(backends);
  for (const std::string& backend : backends) {
    SCOPED_TRACE(backend);
    TempDir dir;
    const std::string rec = dir.file("rec.jsonl"), report = dir.file("report");
    auto r = record({"--backend", backend, "-o", rec, "--report-dir", report, "--", "sh", "-c",
                     "true; ls /proctrace-no-such-dir; exit 3"});
    EXPECT_EQ(r.exit_code, 3) << r.err;  // the command's status, unchanged
    ASSERT_TRUE(exists(report + "/summary.md")) << r.err;
    EXPECT_EQ(read_file(report + "/recording.jsonl"), read_file(rec));
    EXPECT_EQ(read_file(report + "/report.html").rfind("<!DOCTYPE html>", 0), 0u);
    auto chart = run_proctrace({"render", "-d", "mermaid", rec});
    EXPECT_EQ(read_file(report + "/chart.mmd"), chart.out);

    const std::string md = read_file(report + "/summary.md");
    EXPECT_NE(md.find("### proctrace: `sh -c"), std::string::npos) << md;
    EXPECT_NE(md.find("— exit 3, "), std::string::npos) << md;
    EXPECT_NE(md.find("#### Why (`proctrace why`): failure"), std::string::npos) << md;
    EXPECT_NE(md.find("#### Failed processes (2)"), std::string::npos) << md;  // ls and sh
    EXPECT_NE(md.find("| `ls /proctrace-no-such-dir` | exit 2 |"), std::string::npos) << md;
    EXPECT_NE(md.find("#### Slowest processes"), std::string::npos) << md;
    EXPECT_NE(md.find("```mermaid\n---\nconfig:"), std::string::npos) << md;
    EXPECT_NE(md.find("ls /proctrace-no-such-dir [exit 2] :crit"), std::string::npos) << md;
  }
}

TEST(ReportDir, ASucceedingCommandWritesNoReportUnlessAskedAlways) {
  REQUIRE_SOME_BACKEND(backends);
  TempDir dir;
  auto r = record({"--backend", backends.front(), "-o", dir.file("rec.jsonl"), "--report-dir", dir.file("r1"), "--",
                   "true"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(exists(dir.file("r1")));
  r = record({"--backend", backends.front(), "-o", dir.file("rec.jsonl"), "--report-dir", dir.file("r2"),
              "--report-on", "always", "--", "true"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(read_file(dir.file("r2/summary.md")).find("— exit 0, "), std::string::npos);
}

TEST(ReportDir, AKilledCommandCountsAsAFailure) {
  REQUIRE_SOME_BACKEND(backends);
  TempDir dir;
  auto r = record({"--backend", backends.front(), "-o", dir.file("rec.jsonl"), "--report-dir", dir.file("r"), "--",
                   "sh", "-c", "kill -TERM $$"});
  EXPECT_EQ(r.exit_code, 128 + 15) << r.err;
  EXPECT_NE(read_file(dir.file("r/summary.md")).find("killed by signal 15"), std::string::npos);
}

TEST(ReportDir, TheSummaryIsAppendedToTheJobSummary) {
  REQUIRE_SOME_BACKEND(backends);
  TempDir dir;
  write_file(dir.file("step.md"), "earlier step\n");
  auto r = record({"--backend", backends.front(), "-o", dir.file("rec.jsonl"), "--report-dir", dir.file("r"), "--",
                   "false"},
                  dir.file("step.md"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(read_file(dir.file("step.md")), "earlier step\n" + read_file(dir.file("r/summary.md")) + "\n");
}

TEST(ReportDir, AJobSummaryThatIsNoRegularFileIsLeftAlone) {
  REQUIRE_SOME_BACKEND(backends);
  TempDir dir;
  write_file(dir.file("victim"), "x\n");
  ASSERT_EQ(::symlink(dir.file("victim").c_str(), dir.file("link").c_str()), 0);
  ASSERT_EQ(::mkfifo(dir.file("fifo").c_str(), 0600), 0);  // opening it to write would wait for a reader
  for (const std::string& target : {dir.file("link"), dir.file("fifo"), dir.file("missing")}) {
    SCOPED_TRACE(target);
    auto r = record({"--backend", backends.front(), "-o", dir.file("rec.jsonl"), "--report-dir", dir.file("r"), "--",
                     "false"},
                    target);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("GITHUB_STEP_SUMMARY=" + target + ": not appending the summary"), std::string::npos)
        << r.err;
    EXPECT_TRUE(exists(dir.file("r/summary.md")));
  }
  EXPECT_EQ(read_file(dir.file("victim")), "x\n");
  EXPECT_FALSE(exists(dir.file("missing")));
}

TEST(ReportDir, NoSecretOfTheCommandLinesReachesTheReport) {
  REQUIRE_SOME_BACKEND(backends);
  TempDir dir;
  const std::string ghp = "ghp_" + std::string(36, 'Q');
  const std::string script = "/bin/true --password=pw-secret-1; env DB_PASSWORD=pw-secret-2 /bin/true; "
                             "/bin/echo https://bot:pw-secret-3@example.com " + ghp +
                             " >/dev/null; /bin/true --token pw-secret-4; exit 1";
  const std::vector<std::string> secrets{"pw-secret-1", "pw-secret-2", "pw-secret-3", "pw-secret-4", ghp};
  write_file(dir.file("step.md"), "");
  auto r = record({"--backend", backends.front(), "-o", dir.file("rec.jsonl"), "--report-dir", dir.file("r"), "--", "sh",
              "-c", script},
             dir.file("step.md"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  for (const char* name : {"r/summary.md", "r/chart.mmd", "r/report.html", "r/recording.jsonl", "step.md"}) {
    const std::string text = read_file(dir.file(name));
    ASSERT_FALSE(text.empty()) << name;
    for (const auto& secret : secrets) EXPECT_EQ(text.find(secret), std::string::npos) << name << ": " << secret;
  }
  const std::string md = read_file(dir.file("r/summary.md"));
  EXPECT_NE(md.find("--password=***"), std::string::npos) << md;
  EXPECT_NE(read_file(dir.file("r/recording.jsonl")).find("\"env\",\"DB_PASSWORD=***\",\"/bin/true\""), std::string::npos);
  // The recording itself stays as recorded, and --no-redact keeps the report raw.
  for (const auto& secret : secrets) EXPECT_NE(read_file(dir.file("rec.jsonl")).find(secret), std::string::npos);
  r = record({"--backend", backends.front(), "-o", dir.file("rec.jsonl"), "--report-dir", dir.file("raw"),
              "--no-redact", "--", "sh", "-c", script});
  EXPECT_NE(read_file(dir.file("raw/summary.md")).find("pw-secret-1"), std::string::npos);
}

TEST(ReportDir, RedactPatternsMaskTheirMatchesInEveryFile) {
  REQUIRE_SOME_BACKEND(backends);
  TempDir dir;
  // Shapes no built-in rule knows: a company token and a positional secret.
  const std::string script = "/bin/echo deploy corp-0123456789abcdef0123456789abcdef >/dev/null; "
                             "/bin/true --config /etc/app.conf s3cr3t-positional; exit 3";
  const std::vector<std::string> secrets{"corp-0123456789abcdef0123456789abcdef", "s3cr3t-positional"};
  write_file(dir.file("step.md"), "");
  auto r = record({"--backend", backends.front(), "-o", dir.file("rec.jsonl"), "--report-dir", dir.file("r"),
                   "--redact-pattern", "corp-[0-9a-f]{32}", "--redact-pattern", "s3cr3t-\\w+", "--", "sh", "-c",
                   script},
                  dir.file("step.md"));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  for (const char* name : {"r/summary.md", "r/chart.mmd", "r/report.html", "r/recording.jsonl", "step.md"}) {
    const std::string text = read_file(dir.file(name));
    ASSERT_FALSE(text.empty()) << name;
    for (const auto& secret : secrets) EXPECT_EQ(text.find(secret), std::string::npos) << name << ": " << secret;
  }
  const std::string rec = read_file(dir.file("r/recording.jsonl"));
  EXPECT_NE(rec.find("[\"/bin/echo\",\"deploy\",\"***\"]"), std::string::npos) << rec;
  EXPECT_NE(rec.find("[\"/bin/true\",\"--config\",\"/etc/app.conf\",\"***\"]"), std::string::npos) << rec;
  // The recording itself keeps them.
  for (const auto& secret : secrets) EXPECT_NE(read_file(dir.file("rec.jsonl")).find(secret), std::string::npos);
}

TEST(ReportDir, ABadRedactPatternStopsBeforeTheCommandRuns) {
  TempDir dir;
  const std::string marker = dir.file("ran");
  for (std::vector<std::string> bad : {std::vector<std::string>{"--redact-pattern", "(unclosed"},
                                       std::vector<std::string>{"--redact-pattern", "a*"},
                                       std::vector<std::string>{"--redact-pattern", "\x1b[2J("}}) {
    std::vector<std::string> args{"-o", dir.file("rec.jsonl"), "--report-dir", dir.file("r")};
    args.insert(args.end(), bad.begin(), bad.end());
    args.insert(args.end(), {"--", "touch", marker});
    auto r = record(args);
    EXPECT_EQ(r.exit_code, 2) << bad[1] << ": " << r.err;
    EXPECT_NE(r.err.find("--redact-pattern"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
    EXPECT_FALSE(exists(marker)) << bad[1];
  }
  // Patterns mask the report's files: without one (or with --no-redact) they are a mistake.
  auto alone = record({"-o", dir.file("rec.jsonl"), "--redact-pattern", "x+", "--", "touch", marker});
  EXPECT_EQ(alone.exit_code, 2) << alone.err;
  auto raw = record({"-o", dir.file("rec.jsonl"), "--report-dir", dir.file("r"), "--no-redact", "--redact-pattern",
                     "x+", "--", "touch", marker});
  EXPECT_EQ(raw.exit_code, 2) << raw.err;
  EXPECT_FALSE(exists(marker));
}

TEST(ReportDir, NeedsARecordingFileToReadBack) {
  TempDir dir;
  auto r = record({"-o", "-", "--report-dir", dir.file("r"), "--", "true"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--report-dir, --perfetto and --otlp read the recording back"), std::string::npos) << r.err;
}

TEST(ReportDir, UnderSudoEveryFileIsTheUsersAndRootWritesNoneOfThem) {
  REQUIRE_ROOT_AND_TEST_USER(user);
  REQUIRE_SOME_BACKEND(backends);
  TempDir dir;
  ASSERT_EQ(::chown(dir.path().c_str(), user.uid(), user.gid()), 0);
  // A job summary only root may write: appending as the user must fail.
  write_file(dir.file("root-step.md"), "root's\n");
  ASSERT_EQ(::chmod(dir.file("root-step.md").c_str(), 0644), 0);
  std::vector<std::string> argv = user.sudo_env();
  argv.insert(argv.end(), {"GITHUB_STEP_SUMMARY=" + dir.file("root-step.md"), proctrace_binary(), "record",
                           "--backend", backends.front(), "-o", dir.file("rec.jsonl"), "--report-dir",
                           dir.file("r"), "--", "false"});
  auto r = run(argv);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  for (const char* name : {"", "/recording.jsonl", "/report.html", "/chart.mmd", "/summary.md"}) {
    struct stat st {};
    ASSERT_EQ(::stat((dir.file("r") + name).c_str(), &st), 0) << name << "\n" << r.err;
    EXPECT_EQ(st.st_uid, user.uid()) << name;
  }
  EXPECT_EQ(read_file(dir.file("root-step.md")), "root's\n");
  EXPECT_NE(r.err.find("Permission denied (as " + user.name() + ", who ran sudo)"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace proctrace::testing
