// Sends spans to a real OTLP/HTTP receiver on loopback (a minimal HTTP/1.1
// server in this process) and checks what arrived, in both encodings:
// protobuf bodies are decoded by protoc (otlp_bodies.h).
#include "export/otlp_export.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "loopback_http.h"
#include "otlp_bodies.h"
#include "otlp_receiver.h"
#include "test_support.h"

namespace proctrace {
namespace {

using testing::fixture;
using testing::LoopbackHttp;
using testing::run_proctrace;
using testing::Receiver;

struct Span {
  std::string trace_id, span_id, parent, name;
  std::uint64_t start = 0, end = 0;
  std::map<std::string, nlohmann::json> attrs;
  int status = 0;
};

std::vector<Span> spans_of(const std::vector<std::string>& bodies, nlohmann::json* resource = nullptr) {
  std::vector<Span> spans;
  for (auto& body : bodies) {
    auto j = testing::otlp_request(body);
    for (auto& rs : j.at("resourceSpans")) {
      if (resource) *resource = rs.at("resource");
      for (auto& ss : rs.at("scopeSpans"))
        for (auto& s : ss.at("spans")) {
          Span span;
          span.trace_id = s.at("traceId");
          span.span_id = s.at("spanId");
          span.parent = s.value("parentSpanId", "");
          span.name = s.at("name");
          span.start = std::stoull(s.at("startTimeUnixNano").get<std::string>());
          span.end = std::stoull(s.at("endTimeUnixNano").get<std::string>());
          for (auto& a : s.at("attributes")) span.attrs[a.at("key")] = a.at("value");
          if (s.contains("status")) span.status = s.at("status").at("code");
          spans.push_back(span);
        }
    }
  }
  return spans;
}

const Span& find(const std::vector<Span>& spans, const std::string& pid, const std::string& name) {
  for (auto& s : spans)
    if (s.attrs.at("process.pid").at("intValue") == pid && s.name == name) return s;
  throw std::runtime_error("no span " + name + " for pid " + pid);
}

// Every behaviour holds in both encodings.
class OtlpExportBoth : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (std::string(GetParam()) == "http/protobuf" && !testing::have_protoc())
      GTEST_SKIP() << "protoc (protobuf-compiler) is not installed";
  }
  std::vector<std::string> otlp(const std::string& url) {
    return {"export", "--otlp-endpoint", url, "--otlp-protocol", GetParam()};
  }
  std::vector<std::string> otlp(const std::string& url, std::vector<std::string> more) {
    auto args = otlp(url);
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }
};
INSTANTIATE_TEST_SUITE_P(Encodings, OtlpExportBoth, ::testing::Values("http/protobuf", "http/json"),
                         [](const auto& info) { return std::string(info.param).substr(5); });

TEST_P(OtlpExportBoth, OneSpanPerExecSegmentParentedByTheSpawningProgram) {
  Receiver receiver;
  auto r = run_proctrace(otlp(receiver.url(), {fixture("export/small.jsonl")}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(receiver.last_path(), "/v1/traces");
  nlohmann::json resource;
  auto spans = spans_of(receiver.bodies(), &resource);
  ASSERT_EQ(spans.size(), 6u);  // one per exec segment

  // One trace: every span shares the recording's trace id.
  for (auto& s : spans) {
    EXPECT_EQ(s.trace_id, spans[0].trace_id);
    EXPECT_EQ(s.trace_id.size(), 32u);
    EXPECT_EQ(s.span_id.size(), 16u);
  }
  const Span& sh = find(spans, "100", "sh");
  const Span& make = find(spans, "101", "make");
  const Span& make_forked = find(spans, "101", "sh");  // before its exec, 101 ran the parent's sh
  const Span& cc = find(spans, "102", "cc");
  const Span& killed = find(spans, "103", "make");
  EXPECT_EQ(sh.parent, "");
  EXPECT_EQ(make.parent, sh.span_id);
  EXPECT_EQ(make_forked.parent, sh.span_id);
  EXPECT_EQ(cc.parent, make.span_id);
  EXPECT_EQ(killed.parent, make.span_id);

  // Times are Unix epoch ns: recording clock + clock_offset_ns.
  EXPECT_EQ(cc.start, 1700000000000005000u);
  EXPECT_EQ(cc.end, 1700000000000009000u);
  EXPECT_EQ(cc.attrs.at("process.parent_pid").at("intValue"), "101");
  EXPECT_EQ(cc.attrs.at("process.exit.code").at("intValue"), "1");
  EXPECT_EQ(cc.attrs.at("process.command_args").at("arrayValue").at("values").size(), 3u);
  EXPECT_EQ(cc.status, 2);
  EXPECT_EQ(killed.attrs.at("proctrace.exit.signal").at("intValue"), "9");
  EXPECT_EQ(make_forked.attrs.count("process.exit.code"), 0u);  // exited later, as make
  EXPECT_EQ(resource.dump().find("ci-runner") != std::string::npos, true);

  // Deterministic ids: a second export of the same recording sends the same spans.
  Receiver again;
  ASSERT_EQ(run_proctrace(otlp(again.url(), {fixture("export/small.jsonl")})).exit_code, 0);
  auto spans2 = spans_of(again.bodies());
  EXPECT_EQ(find(spans2, "102", "cc").span_id, cc.span_id);
  EXPECT_EQ(find(spans2, "102", "cc").parent, make.span_id);
}

TEST_P(OtlpExportBoth, BatchesAndRetriesAfterServerErrors) {
  Receiver receiver(/*fail_first=*/2);
  auto r = run_proctrace(otlp(receiver.url(), {"--otlp-batch", "4", fixture("export/small.jsonl")}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto bodies = receiver.bodies();
  EXPECT_EQ(bodies.size(), 2u);  // 6 spans in batches of 4
  EXPECT_EQ(receiver.requests(), 4);  // two 503s retried
  EXPECT_EQ(spans_of(bodies).size(), 6u);
}

TEST(OtlpExport, EnvironmentChoosesTheEndpoint) {
  Receiver receiver;
  std::string base = receiver.url().substr(0, receiver.url().size() - std::string("/v1/traces").size());
  setenv("OTEL_EXPORTER_OTLP_ENDPOINT", (base + "/").c_str(), 1);
  setenv("OTEL_EXPORTER_OTLP_HEADERS", "x-api-key=s3cret%20key, x-team = ci", 1);
  setenv("OTEL_SERVICE_NAME", "nightly-build", 1);
  auto r = run_proctrace({"export", "--otlp", fixture("export/small.jsonl")});
  unsetenv("OTEL_EXPORTER_OTLP_ENDPOINT");
  unsetenv("OTEL_EXPORTER_OTLP_HEADERS");
  unsetenv("OTEL_SERVICE_NAME");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(receiver.last_path(), "/v1/traces");
  EXPECT_NE(receiver.last_head().find("x-api-key: s3cret key\r\n"), std::string::npos) << receiver.last_head();
  EXPECT_NE(receiver.last_head().find("x-team: ci\r\n"), std::string::npos) << receiver.last_head();
  nlohmann::json resource;
  EXPECT_EQ(spans_of(receiver.bodies(), &resource).size(), 6u);
  EXPECT_NE(resource.dump().find("\"nightly-build\""), std::string::npos) << resource.dump();
}

std::map<std::string, std::string> string_attributes(const nlohmann::json& resource) {
  std::map<std::string, std::string> out;
  for (auto& a : resource.at("attributes"))
    if (a.at("value").contains("stringValue")) out[a.at("key")] = a.at("value").at("stringValue");
  return out;
}

TEST_P(OtlpExportBoth, TraceparentMakesTheSpansJoinThatTrace) {
  Receiver receiver;
  setenv("TRACEPARENT", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", 1);
  setenv("OTEL_RESOURCE_ATTRIBUTES", "service.name=ignored,ci.pipeline=nightly%20build,host.name=runner-7", 1);
  setenv("OTEL_SERVICE_NAME", "wins", 1);
  auto r = run_proctrace(otlp(receiver.url(), {fixture("export/small.jsonl")}));
  unsetenv("TRACEPARENT");
  unsetenv("OTEL_RESOURCE_ATTRIBUTES");
  unsetenv("OTEL_SERVICE_NAME");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json resource;
  auto spans = spans_of(receiver.bodies(), &resource);
  ASSERT_EQ(spans.size(), 6u);
  for (auto& s : spans) EXPECT_EQ(s.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  // The recording's root hangs under the given span; the tree below is kept.
  const Span& sh = find(spans, "100", "sh");
  EXPECT_EQ(sh.parent, "00f067aa0ba902b7");
  EXPECT_EQ(find(spans, "101", "make").parent, sh.span_id);
  EXPECT_EQ(std::count_if(spans.begin(), spans.end(), [](const Span& s) { return s.parent == "00f067aa0ba902b7"; }),
            1);

  auto attrs = string_attributes(resource);
  EXPECT_EQ(attrs.at("service.name"), "wins");
  EXPECT_EQ(attrs.at("ci.pipeline"), "nightly build");
  EXPECT_EQ(attrs.at("host.name"), "runner-7");  // the user's word over the recording's
  EXPECT_EQ(std::count_if(resource.at("attributes").begin(), resource.at("attributes").end(),
                          [](auto& a) { return a.at("key") == "host.name" || a.at("key") == "service.name"; }),
            2);
  EXPECT_EQ(attrs.at("proctrace.recording").size(), 32u);  // still names the recording
  EXPECT_NE(attrs.at("proctrace.recording"), "4bf92f3577b34da6a3ce929d0e0e4736");

  // Without OTEL_SERVICE_NAME, the attributes' service.name.
  Receiver second;
  setenv("OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attributes", 1);
  auto r2 = run_proctrace(otlp(second.url(), {fixture("export/small.jsonl")}));
  unsetenv("OTEL_RESOURCE_ATTRIBUTES");
  ASSERT_EQ(r2.exit_code, 0) << r2.err;
  spans_of(second.bodies(), &resource);
  EXPECT_EQ(string_attributes(resource).at("service.name"), "from-attributes");
}

TEST(OtlpExport, MalformedTraceparentIsIgnoredWithAWarning) {
  Receiver receiver;
  setenv("TRACEPARENT", "00-00000000000000000000000000000000-00f067aa0ba902b7-01\x1b[2J", 1);
  setenv("OTEL_RESOURCE_ATTRIBUTES", "ok=1,bad value=2", 1);
  auto r = run_proctrace({"export", "--otlp-endpoint", receiver.url(), fixture("export/small.jsonl")});
  unsetenv("TRACEPARENT");
  unsetenv("OTEL_RESOURCE_ATTRIBUTES");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("$TRACEPARENT="), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("$OTEL_RESOURCE_ATTRIBUTES ignored"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << "echoed raw: " << r.err;
  nlohmann::json resource;
  auto spans = spans_of(receiver.bodies(), &resource);
  ASSERT_EQ(spans.size(), 6u);
  EXPECT_EQ(find(spans, "100", "sh").parent, "");
  EXPECT_EQ(spans[0].trace_id, string_attributes(resource).at("proctrace.recording"));
  EXPECT_EQ(string_attributes(resource).count("ok"), 0u);  // the whole list is dropped
}

std::string content_type(const std::string& head) {
  for (std::string key : {"\r\nContent-Type: ", "\r\ncontent-type: "})
    if (auto k = head.find(key); k != std::string::npos)
      return head.substr(k + key.size(), head.find("\r\n", k + key.size()) - k - key.size());
  return "";
}

TEST(OtlpExport, ProtobufIsTheDefaultAndTheEnvironmentCanChooseJson) {
  const std::string small = fixture("export/small.jsonl");
  struct Case {
    const char* general;  // $OTEL_EXPORTER_OTLP_PROTOCOL
    const char* traces;   // $OTEL_EXPORTER_OTLP_TRACES_PROTOCOL
    const char* option;   // --otlp-protocol
    const char* expected;
  };
  for (const Case& c : {Case{nullptr, nullptr, nullptr, "application/x-protobuf"},
                        Case{"http/json", nullptr, nullptr, "application/json"},
                        Case{"http/json", "http/protobuf", nullptr, "application/x-protobuf"},
                        Case{"http/protobuf", "http/json", nullptr, "application/json"},
                        Case{"http/protobuf", nullptr, "http/json", "application/json"},
                        Case{"http/json", nullptr, "http/protobuf", "application/x-protobuf"}}) {
    SCOPED_TRACE(std::string(c.general ? c.general : "-") + " " + (c.traces ? c.traces : "-") + " " +
                 (c.option ? c.option : "-"));
    Receiver receiver;
    if (c.general) setenv("OTEL_EXPORTER_OTLP_PROTOCOL", c.general, 1);
    if (c.traces) setenv("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", c.traces, 1);
    std::vector<std::string> args{"export", "--otlp-endpoint", receiver.url(), small};
    if (c.option) args.insert(args.end(), {"--otlp-protocol", c.option});
    auto r = run_proctrace(args);
    unsetenv("OTEL_EXPORTER_OTLP_PROTOCOL");
    unsetenv("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(content_type(receiver.last_head()), c.expected) << receiver.last_head();
    ASSERT_EQ(receiver.bodies().size(), 1u);
    EXPECT_EQ(receiver.bodies()[0][0], std::string(c.expected) == "application/json" ? '{' : '\x0a');
  }
}

TEST(OtlpExport, AnUnknownProtocolIsAUsageErrorBeforeAnythingIsSent) {
  LoopbackHttp listener(LoopbackHttp::reply("200 OK", "{}"));
  for (const char* variable : {"OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"}) {
    for (const char* bad : {"grpc", "http/JSON", "json", "http/protobuf ", "\x1b[2J"}) {
      setenv(variable, bad, 1);
      auto r = run_proctrace({"export", "--otlp-endpoint", listener.url(), fixture("export/small.jsonl")});
      unsetenv(variable);
      EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.err;
      EXPECT_NE(r.err.find(std::string("$") + variable), std::string::npos) << r.err;
      EXPECT_NE(r.err.find("http/protobuf or http/json"), std::string::npos) << r.err;
      EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
    }
  }
  auto option = run_proctrace({"export", "--otlp-endpoint", listener.url(), "--otlp-protocol", "grpc",
                               fixture("export/small.jsonl")});
  EXPECT_EQ(option.exit_code, 2) << option.err;
  EXPECT_EQ(listener.connections(), 0);
}

// The two encodings carry the same request: the protobuf body, decoded by
// protoc, equals the JSON body field for field, for every real recording.
TEST(OtlpExport, ProtobufAndJsonBodiesCarryTheSameSpans) {
  if (!testing::have_protoc()) GTEST_SKIP() << "protoc (protobuf-compiler) is not installed";
  std::vector<std::string> inputs;
  for (auto& e : std::filesystem::directory_iterator(fixture("recordings")))
    if (e.path().extension() == ".jsonl") inputs.push_back(e.path().string());
  std::sort(inputs.begin(), inputs.end());
  ASSERT_GE(inputs.size(), 5u);
  inputs.push_back(fixture("export/small.jsonl"));
  for (const std::string& input : inputs) {
    SCOPED_TRACE(input);
    Receiver protobuf, json;
    ASSERT_EQ(run_proctrace({"export", "--otlp-endpoint", protobuf.url(), input}).exit_code, 0);
    ASSERT_EQ(run_proctrace({"export", "--otlp-endpoint", json.url(), "--otlp-protocol", "http/json", input}).exit_code,
              0);
    const auto protobuf_bodies = protobuf.bodies(), json_bodies = json.bodies();
    ASSERT_EQ(protobuf_bodies.size(), json_bodies.size());
    for (std::size_t i = 0; i < json_bodies.size(); ++i) {
      const std::string& body = protobuf_bodies[i];
      ASSERT_FALSE(body.empty());
      EXPECT_NE(body[0], '{');
      nlohmann::json decoded = testing::otlp_json_of_protobuf(body);
      nlohmann::json expected = nlohmann::json::parse(json_bodies[i]);
      EXPECT_EQ(decoded, expected) << decoded.dump().substr(0, 2000) << "\n" << expected.dump().substr(0, 2000);
      EXPECT_GT(decoded["resourceSpans"][0]["scopeSpans"][0]["spans"].size(), 0u);
    }
    // Ids are 16 and 8 bytes on the wire.
    std::string text = testing::protoc_decode_otlp(protobuf_bodies.at(0));
    testing::Node root = testing::parse_text_format(text);
    const testing::Node& span = *root.child("resource_spans")->child("scope_spans")->child("spans");
    EXPECT_EQ(testing::c_unescape(span.get("trace_id")).size(), 16u);
    EXPECT_EQ(testing::c_unescape(span.get("span_id")).size(), 8u);
    EXPECT_EQ(span.get("kind"), "SPAN_KIND_INTERNAL");
  }
}

// proto3 strings must be UTF-8, or a collector refuses the whole request:
// raw argv bytes from an strace log become U+FFFD, as in JSON.
TEST(OtlpExport, ArgvBytesThatAreNotUtf8StillMakeAValidProtobufBody) {
  if (!testing::have_protoc()) GTEST_SKIP() << "protoc (protobuf-compiler) is not installed";
  testing::TempDir dir;
  const std::string log = dir.file("strace.log");
  {
    std::ofstream out(log);
    out << "100 execve(\"/bin/echo\", [\"echo\", \"caf\\351\", \"\\377\\376\"], 0x7ffd /* 3 vars */) = 0\n"
        << "100 exit_group(0) = ?\n"
        << "100 +++ exited with 0 +++\n";
  }
  Receiver receiver;
  auto r = run_proctrace({"export", "--otlp-endpoint", receiver.url(), log});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto spans = spans_of(receiver.bodies());  // decodes with protoc, which checks UTF-8
  ASSERT_EQ(spans.size(), 1u);
  auto args = spans[0].attrs.at("process.command_args").at("arrayValue").at("values");
  ASSERT_EQ(args.size(), 3u);
  EXPECT_EQ(args[1].at("stringValue"), "caf\xEF\xBF\xBD");
  EXPECT_EQ(args[2].at("stringValue"), "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(OtlpExport, UnreachableEndpointFailsWithTheCountNotSent) {
  auto r = run_proctrace({"export", "--otlp-endpoint", "http://127.0.0.1:1/v1/traces", fixture("export/small.jsonl")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("6 of 6 spans not sent"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("127.0.0.1:1"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace proctrace
