// export --otlp --logs: every syscall of a real strace log as an OTLP log
// record, sent to a real loopback receiver, in the spans' trace and tied to
// the span of the program that made the call.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "otlp_bodies.h"
#include "otlp_receiver.h"
#include "test_support.h"

namespace proctrace::testing {
namespace {

using json = nlohmann::json;

class OtlpLogs : public ::testing::Test {
 protected:
  void SetUp() override {
    auto x = run({"sh", "-c", "xz -dc \"$0\" > \"$1\"", fixture("strace/make.fttTyyy.log.xz"), log});
    ASSERT_EQ(x.exit_code, 0) << x.err;
  }
  TempDir dir;
  std::string log = dir.file("make.log");
};

std::string attribute(const json& record, const std::string& key) {
  for (auto& a : record["attributes"])
    if (a["key"] == key) return a["value"].contains("stringValue") ? a["value"]["stringValue"].get<std::string>()
                                                                    : a["value"]["intValue"].get<std::string>();
  return "";
}

TEST_F(OtlpLogs, EverySyscallIsALogRecordOfItsProcesssSpan) {
  Receiver collector;
  auto r = run({"env", "-u", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", proctrace_binary(), "export", "--otlp-endpoint",
                collector.url(), "--otlp-protocol", "http/json", "--logs", log});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto bodies = collector.bodies(), paths = collector.paths();
  ASSERT_EQ(bodies.size(), paths.size());
  std::map<std::string, json> spans;  // span id -> span
  std::vector<json> records;
  std::set<std::string> trace_ids;
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    json body = json::parse(bodies[i]);
    if (paths[i] == "/v1/logs") {
      for (auto& rec : body["resourceLogs"][0]["scopeLogs"][0]["logRecords"]) records.push_back(rec);
    } else {
      EXPECT_EQ(paths[i], "/v1/traces");
      for (auto& s : body["resourceSpans"][0]["scopeSpans"][0]["spans"]) spans[s["spanId"]] = s;
    }
  }
  ASSERT_FALSE(spans.empty());
  // As many records as the log has calls of known processes: the SQLite
  // export's syscalls table, another exporter of the same import.
  auto db = run_proctrace({"export", "--sqlite", dir.file("t.db"), log});
  ASSERT_EQ(db.exit_code, 0) << db.err;
  auto count = run({"sqlite3", dir.file("t.db"), "SELECT count(*) FROM syscalls"});
  ASSERT_EQ(count.exit_code, 0) << count.err;
  EXPECT_EQ(std::to_string(records.size()) + "\n", count.out);

  const std::string trace_id = spans.begin()->second["traceId"];
  bool saw_cc_exec = false, saw_failure = false;
  for (const json& rec : records) {
    EXPECT_EQ(rec["traceId"], trace_id);
    ASSERT_TRUE(rec.contains("spanId")) << rec.dump();
    auto span = spans.find(rec["spanId"]);
    ASSERT_NE(span, spans.end()) << "no span " << rec["spanId"];
    // The record's pid is its span's process.
    EXPECT_EQ(attribute(rec, "process.pid"), attribute(span->second, "process.pid"));
    const std::string body = rec["body"]["stringValue"];
    if (body.rfind("execve(\"/usr/bin/cc\"", 0) == 0 && body.ends_with("= 0")) {
      saw_cc_exec = true;
      // The exec that starts cc belongs to the span of the program that
      // called it, or to cc's own (it starts at the exec's entry).
      EXPECT_TRUE(span->second["name"] == "cc" || span->second["name"] == "sh" || span->second["name"] == "make")
          << span->second["name"];
    }
    if (body.find(" = -1 ENOENT") != std::string::npos) {
      saw_failure = true;
      EXPECT_EQ(rec["severityNumber"], 13);
      EXPECT_EQ(attribute(rec, "proctrace.errno"), "ENOENT");
    }
    EXPECT_LE(std::stoull(span->second["startTimeUnixNano"].get<std::string>()),
              std::stoull(rec["timeUnixNano"].get<std::string>()) + 1000)
        << body;
  }
  EXPECT_TRUE(saw_cc_exec);
  EXPECT_TRUE(saw_failure);
}

TEST_F(OtlpLogs, ProtobufBodiesDecodeWithProtocToTheSameRecords) {
  if (!have_protoc()) GTEST_SKIP() << "protoc (protobuf-compiler) is not installed";
  Receiver protobuf, plain;
  ASSERT_EQ(run_proctrace({"export", "--otlp-endpoint", protobuf.url(), "--logs", log}).exit_code, 0);
  ASSERT_EQ(run_proctrace({"export", "--otlp-endpoint", plain.url(), "--otlp-protocol", "http/json", "--logs", log})
                .exit_code,
            0);
  const auto bodies = protobuf.bodies(), paths = protobuf.paths(), json_bodies = plain.bodies();
  ASSERT_EQ(bodies.size(), json_bodies.size());
  std::size_t compared = 0;
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    if (paths[i] != "/v1/logs") continue;
    auto r = run({"protoc", "--decode=otlp.ExportLogsServiceRequest",
                  "--proto_path=" + std::string(source_dir()) + "/tests/export",
                  std::string(source_dir()) + "/tests/export/otlp_trace.proto"},
                 bodies[i]);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    Node root = parse_text_format(r.out);
    const Node& scope = *root.child("resource_logs")->child("scope_logs");
    const json expected = json::parse(json_bodies[i])["resourceLogs"][0]["scopeLogs"][0]["logRecords"];
    std::size_t n = 0;
    for (const Node& rec : scope.children) {
      if (rec.key != "log_records") continue;
      ASSERT_LT(n, expected.size());
      EXPECT_EQ(c_unescape(rec.child("body")->get("string_value")), expected[n]["body"]["stringValue"]);
      EXPECT_EQ(rec.get("time_unix_nano"), expected[n]["timeUnixNano"]);
      EXPECT_EQ(hex_of(c_unescape(rec.get("span_id"))), expected[n]["spanId"]);
      EXPECT_EQ(hex_of(c_unescape(rec.get("trace_id"))), expected[n]["traceId"]);
      ++n;
    }
    EXPECT_EQ(n, expected.size());
    compared += n;
  }
  EXPECT_GT(compared, 1000u);
}

// systrument's --relative-to-now: the whole recording moves so its first
// event is the time of the export, spans and log records by one shift.
TEST_F(OtlpLogs, RelativeToNowShiftsSpansAndLogsTogether) {
  auto times = [&](bool relative) {
    Receiver collector;
    std::vector<std::string> args{"env", "-u", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", proctrace_binary(), "export",
                                  "--otlp-endpoint", collector.url(), "--otlp-protocol", "http/json", "--logs", log};
    if (relative) args.push_back("--relative-to-now");
    auto r = run(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::uint64_t> out;  // span starts, span ends, then log times
    const auto bodies = collector.bodies(), paths = collector.paths();
    for (std::size_t i = 0; i < bodies.size(); ++i) {
      json body = json::parse(bodies[i]);
      if (paths[i] == "/v1/logs") {
        for (auto& rec : body["resourceLogs"][0]["scopeLogs"][0]["logRecords"])
          out.push_back(std::stoull(rec["timeUnixNano"].get<std::string>()));
      } else {
        for (auto& sp : body["resourceSpans"][0]["scopeSpans"][0]["spans"]) {
          out.push_back(std::stoull(sp["startTimeUnixNano"].get<std::string>()));
          out.push_back(std::stoull(sp["endTimeUnixNano"].get<std::string>()));
        }
      }
    }
    return out;
  };
  const auto now = [] {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
  };
  const std::vector<std::uint64_t> as_recorded = times(false);
  const std::uint64_t before = now();
  const std::vector<std::uint64_t> moved = times(true);
  const std::uint64_t after = now();
  ASSERT_EQ(moved.size(), as_recorded.size());
  ASSERT_GT(moved.size(), 100u);
  const std::uint64_t first = *std::min_element(moved.begin(), moved.end());
  EXPECT_GE(first, before);
  EXPECT_LE(first, after);
  // One shift for all: every gap between two times is kept.
  const std::int64_t shift = static_cast<std::int64_t>(moved[0] - as_recorded[0]);
  for (std::size_t i = 0; i < moved.size(); ++i)
    EXPECT_EQ(static_cast<std::int64_t>(moved[i] - as_recorded[i]), shift) << i;
}

TEST_F(OtlpLogs, LogsNeedOtlpAndAValidEndpoint) {
  auto r = run_proctrace({"export", "--sqlite", dir.file("t.db"), "--logs", log});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  r = run({"env", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT=file:///etc/passwd", proctrace_binary(), "export", "--otlp",
           "--logs", log});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace proctrace::testing
