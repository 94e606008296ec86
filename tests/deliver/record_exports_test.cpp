// `record --perfetto FILE --otlp`: systrument's one-step form. Real
// recordings of real commands, sent to a real loopback OTLP receiver, must
// equal what `proctrace export` makes of the same recording afterwards.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include "../export/otlp_bodies.h"
#include "../export/otlp_receiver.h"
#include "record/backends.h"
#include "record/test_user.h"

namespace proctrace::testing {
namespace {

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

// Without the CI's own OTEL_* variables.
RunResult clean(std::vector<std::string> args) {
  std::vector<std::string> argv{"env", "-u", "OTEL_EXPORTER_OTLP_ENDPOINT", "-u", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                                "-u", "TRACEPARENT", "-u", "OTEL_RESOURCE_ATTRIBUTES", "-u", "OTEL_SERVICE_NAME",
                                proctrace_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv);
}

TEST(RecordExports, PerfettoAndOtlpEqualWhatExportMakesOfTheRecording) {
  REQUIRE_SOME_BACKEND(backends);
  for (const std::string& backend : backends) {
    SCOPED_TRACE(backend);
    TempDir dir;
    Receiver live, later;
    const std::string rec = dir.file("rec.jsonl");
    auto r = clean({"record", "--backend", backend, "-o", rec, "--perfetto", dir.file("live.pftrace"),
                    "--otlp-endpoint", live.url(), "--", "sh", "-c", "ls / >/dev/null; exit 4"});
    EXPECT_EQ(r.exit_code, 4) << r.err;  // the command's status passes through
    ASSERT_TRUE(exists(dir.file("live.pftrace"))) << r.err;
    EXPECT_NE(r.err.find("spans sent to"), std::string::npos) << r.err;

    auto p = clean({"export", "--perfetto", dir.file("later.pftrace"), rec});
    ASSERT_EQ(p.exit_code, 0) << p.err;
    EXPECT_EQ(read_file(dir.file("live.pftrace")), read_file(dir.file("later.pftrace")));

    auto o = clean({"export", "--otlp-endpoint", later.url(), rec});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    const auto sent = live.bodies(), expected = later.bodies();
    ASSERT_EQ(sent.size(), expected.size());
    ASSERT_FALSE(sent.empty());
    for (std::size_t i = 0; i < sent.size(); ++i)
      EXPECT_EQ(otlp_request(sent[i]), otlp_request(expected[i]));
    // sh and ls: a span each.
    EXPECT_GE(otlp_request(sent[0])["resourceSpans"][0]["scopeSpans"][0]["spans"].size(), 2u);
  }
}

TEST(RecordExports, LogsSendStracesLinesOfTheCommand) {
  REQUIRE_STRACE();
  TempDir dir;
  Receiver collector;
  auto r = run({"env", "-u", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL=http/json",
                proctrace_binary(), "record", "--all", "-o", dir.file("rec.jsonl"), "--otlp-endpoint", collector.url(),
                "--logs", "--perfetto", dir.file("t.pftrace"), "--", "sh", "-c", "cat /etc/hostname >/dev/null; exit 6"});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  const auto bodies = collector.bodies(), paths = collector.paths();
  std::size_t records = 0;
  bool saw_open = false;
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    if (paths[i] != "/v1/logs") continue;
    auto j = nlohmann::json::parse(bodies[i]);
    for (auto& rec : j["resourceLogs"][0]["scopeLogs"][0]["logRecords"]) {
      ++records;
      saw_open |= rec["body"]["stringValue"].get<std::string>().find("\"/etc/hostname\"") != std::string::npos;
    }
  }
  EXPECT_GT(records, 20u);
  EXPECT_TRUE(saw_open);
  EXPECT_NE(read_file(dir.file("t.pftrace")).find("/etc/hostname"), std::string::npos);
  // --logs without --all has no syscalls to send.
  auto bad = clean({"record", "-o", dir.file("r2.jsonl"), "--otlp-endpoint", collector.url(), "--logs", "--", "true"});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
}

TEST(RecordExports, BadDestinationsStopBeforeTheCommandRuns) {
  REQUIRE_SOME_BACKEND(backends);
  TempDir dir;
  const std::string marker = dir.file("ran");
  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"--otlp-endpoint", "file:///etc/passwd"},
        std::vector<std::string>{"-o", "-", "--perfetto", dir.file("t.pftrace")},
        std::vector<std::string>{"-o", "-", "--otlp-endpoint", "http://127.0.0.1:9/v1/traces"}}) {
    std::vector<std::string> args{"record", "--backend", backends.front()};
    args.insert(args.end(), bad.begin(), bad.end());
    args.insert(args.end(), {"--", "touch", marker});
    auto r = clean(args);
    EXPECT_EQ(r.exit_code, 2) << bad[1] << "\n" << r.err;
    EXPECT_FALSE(exists(marker)) << bad[1];
  }
}

TEST(RecordExports, AnUnreachableCollectorIsReportedAndTheStatusStillPassesThrough) {
  REQUIRE_SOME_BACKEND(backends);
  TempDir dir;
  // Port 9 (discard) on loopback: nothing listens, the connection is refused.
  auto r = clean({"record", "--backend", backends.front(), "-o", dir.file("rec.jsonl"), "--otlp-endpoint",
                  "http://127.0.0.1:9/v1/traces", "--", "sh", "-c", "exit 5"});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("--otlp:"), std::string::npos) << r.err;
  EXPECT_TRUE(exists(dir.file("rec.jsonl")));
}

TEST(RecordExports, UnderSudoTheTraceFileIsTheUsers) {
  REQUIRE_ROOT_AND_TEST_USER(user);
  REQUIRE_SOME_BACKEND(backends);
  TempDir dir;
  ASSERT_EQ(::chown(dir.path().c_str(), user.uid(), user.gid()), 0);
  ::mkdir(dir.file("root-only").c_str(), 0755);  // root's: the user cannot create files in it
  std::vector<std::string> argv = user.sudo_env();
  argv.insert(argv.end(), {proctrace_binary(), "record", "--backend", backends.front(), "-o", dir.file("rec.jsonl"),
                           "--perfetto", dir.file("t.pftrace"), "--", "true"});
  auto r = run(argv);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  struct stat st {};
  ASSERT_EQ(::stat(dir.file("t.pftrace").c_str(), &st), 0) << r.err;
  EXPECT_EQ(st.st_uid, user.uid());

  argv = user.sudo_env();
  argv.insert(argv.end(), {proctrace_binary(), "record", "--backend", backends.front(), "-o", dir.file("rec2.jsonl"),
                           "--perfetto", dir.file("root-only/t.pftrace"), "--", "true"});
  r = run(argv);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(exists(dir.file("root-only/t.pftrace")));
  EXPECT_NE(r.err.find("Permission denied"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace proctrace::testing
