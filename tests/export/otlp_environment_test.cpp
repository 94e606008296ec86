// The OTEL_* environment: parsed in one place, and nothing in it can put a
// byte on the wire that is not a valid HTTP field.
#include "export/otlp_environment.h"

#include <gtest/gtest.h>

#include "loopback_http.h"
#include "test_support.h"

namespace proctrace {
namespace {

using testing::fixture;
using testing::LoopbackHttp;
using testing::run_proctrace;

std::vector<std::string> headers_of(std::string_view spec) {
  std::vector<std::string> headers;
  std::string error;
  EXPECT_TRUE(parse_otlp_headers(spec, headers, error)) << spec << ": " << error;
  return headers;
}

std::string error_of(std::string_view spec) {
  std::vector<std::string> headers;
  std::string error;
  EXPECT_FALSE(parse_otlp_headers(spec, headers, error)) << spec;
  return error;
}

TEST(OtlpEnvironment, HeaderListsAreDecodedAndTrimmed) {
  EXPECT_EQ(headers_of("x-api-key=s3cret%20key, x-team = ci,,"),
            (std::vector<std::string>{"x-api-key: s3cret key", "x-team: ci"}));
  EXPECT_EQ(headers_of("authorization=Basic%20dTpw%3D%3D"), (std::vector<std::string>{"authorization: Basic dTpw=="}));
  EXPECT_EQ(headers_of("a=%zz%4"), (std::vector<std::string>{"a: %zz%4"}));  // not escapes: kept as they are
  EXPECT_TRUE(headers_of("").empty());
}

TEST(OtlpEnvironment, ControlCharactersAndBadNamesAreErrors) {
  EXPECT_NE(error_of("x-a=ok%0D%0AX-Injected: 1").find("control character"), std::string::npos);
  EXPECT_NE(error_of("x-a=ok\r\nX-Injected: 1").find("control character"), std::string::npos);
  EXPECT_NE(error_of("x-a=ok%0a").find("\"x-a\""), std::string::npos);
  EXPECT_NE(error_of("x-a=%00").find("control character"), std::string::npos);
  EXPECT_NE(error_of("x-a=%1b[2J").find("control character"), std::string::npos);
  EXPECT_NE(error_of("x a=1").find("not a valid HTTP field name"), std::string::npos);
  EXPECT_NE(error_of("x%0d%0aInjected=1").find("not a valid HTTP field name"), std::string::npos);
  EXPECT_NE(error_of("=1").find("not a valid HTTP field name"), std::string::npos);
  EXPECT_NE(error_of("a=1,justaname").find("entry 2 has no '='"), std::string::npos);
  // The value may be a secret: it is not echoed.
  EXPECT_EQ(error_of("x-key=hunter2%0d").find("hunter2"), std::string::npos);
}

class OtlpEnvironmentCli : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const char* v : {"OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "OTEL_EXPORTER_OTLP_TIMEOUT",
                          "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT"})
      unsetenv(v);
  }
  std::string small = fixture("export/small.jsonl");
};

TEST_F(OtlpEnvironmentCli, InjectedHeadersAreRefusedBeforeAnythingIsSent) {
  LoopbackHttp listener(LoopbackHttp::reply("200 OK", "{}"));
  for (const char* spec : {"x-api-key=abc%0D%0AX-Injected: yes", "x-api-key=abc\r\nX-Injected: yes",
                           "x-api-key=abc%0AX-Injected: yes", "x-api-key%0D%0AX-Injected: yes=1"}) {
    setenv("OTEL_EXPORTER_OTLP_HEADERS", spec, 1);
    auto r = run_proctrace({"export", "--otlp-endpoint", listener.url(), small});
    EXPECT_EQ(r.exit_code, 2) << spec << "\n" << r.err;
    EXPECT_NE(r.err.find("$OTEL_EXPORTER_OTLP_HEADERS"), std::string::npos) << r.err;
  }
  setenv("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "x-key=1%0d%0ax-injected: 2", 1);
  setenv("OTEL_EXPORTER_OTLP_HEADERS", "x-key=fine", 1);
  auto traces = run_proctrace({"export", "--otlp-endpoint", listener.url(), small});
  EXPECT_EQ(traces.exit_code, 2) << traces.err;
  EXPECT_NE(traces.err.find("$OTEL_EXPORTER_OTLP_TRACES_HEADERS"), std::string::npos) << traces.err;
  EXPECT_EQ(listener.connections(), 0);
  for (const std::string& request : listener.requests())
    EXPECT_EQ(request.find("njected"), std::string::npos) << request;

  // A good list still goes out, exactly as given.
  unsetenv("OTEL_EXPORTER_OTLP_TRACES_HEADERS");
  auto ok = run_proctrace({"export", "--otlp-endpoint", listener.url(), small});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  ASSERT_EQ(listener.requests().size(), 1u);
  EXPECT_NE(listener.requests()[0].find("\r\nx-key: fine\r\n"), std::string::npos) << listener.requests()[0];
}

TEST_F(OtlpEnvironmentCli, TimeoutComesFromTheEnvironmentAndIsChecked) {
  LoopbackHttp silent([](int fd, const std::string&, const std::atomic<bool>& stopping) {
    LoopbackHttp::wait_for_close(fd, stopping);
    return false;
  });
  setenv("OTEL_EXPORTER_OTLP_TIMEOUT", "700", 1);
  auto r = run_proctrace({"export", "--otlp-endpoint", silent.url(), small});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("request timeout 700 ms"), std::string::npos) << r.err;
  for (const char* bad : {"abc", "0", "-5", "1.5", "99999999999"}) {
    setenv("OTEL_EXPORTER_OTLP_TIMEOUT", bad, 1);
    auto b = run_proctrace({"export", "--otlp-endpoint", silent.url(), small});
    EXPECT_EQ(b.exit_code, 2) << bad << ": " << b.err;
    EXPECT_NE(b.err.find("$OTEL_EXPORTER_OTLP_TIMEOUT"), std::string::npos) << b.err;
  }
}

}  // namespace
}  // namespace proctrace

namespace proctrace {
namespace {

std::string traceparent_error(std::string_view text) {
  TraceParent parent;
  std::string error;
  EXPECT_FALSE(parse_traceparent(text, parent, error)) << text;
  return error;
}

TEST(OtlpEnvironment, TraceparentGivesTheTraceAndTheParentSpan) {
  TraceParent p;
  std::string error;
  ASSERT_TRUE(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", p, error)) << error;
  EXPECT_EQ(p.trace_id.hex(), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(p.span_id, 0x00f067aa0ba902b7ull);
  // Flags other than sampled are carried, not judged.
  EXPECT_TRUE(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", p, error)) << error;
  EXPECT_TRUE(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-ff", p, error)) << error;
  // A later version: its first four fields read as 00's, more after a '-'.
  EXPECT_TRUE(parse_traceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", p, error)) << error;
  EXPECT_TRUE(parse_traceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-comes", p, error))
      << error;
  EXPECT_EQ(p.span_id, 0x00f067aa0ba902b7ull);
}

TEST(OtlpEnvironment, MalformedTraceparentsAreRefused) {
  const std::string good = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  EXPECT_NE(traceparent_error("00-00000000000000000000000000000000-00f067aa0ba902b7-01").find("trace id is all zeros"),
            std::string::npos);
  EXPECT_NE(traceparent_error("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01").find("parent id is all zeros"),
            std::string::npos);
  EXPECT_NE(traceparent_error("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").find("version ff"),
            std::string::npos);
  for (const std::string& bad : std::vector<std::string>{
           std::string("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"),  // uppercase
           std::string("00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01"),
           std::string("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A"),
           std::string("0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
           good + "-",                            // 00 has exactly four fields
           good + "-extra",
           " " + good,                            // no trimming
           good.substr(0, 54),                    // short
           "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",  // misplaced '-'
           "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
           "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",
           "00-+bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // from_chars-style signs
           "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",  // later version: '-' after the flags
           "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0",
           "",
           "0",
           std::string("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\0", 56),
       })
    EXPECT_FALSE(traceparent_error(bad).empty()) << bad;
}

std::vector<std::pair<std::string, std::string>> attributes_of(std::string_view spec) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string error;
  EXPECT_TRUE(parse_resource_attributes(spec, out, error)) << spec << ": " << error;
  return out;
}

std::string attributes_error(std::string_view spec) {
  std::vector<std::pair<std::string, std::string>> out{{"kept", "as it was"}};
  std::string error;
  EXPECT_FALSE(parse_resource_attributes(spec, out, error)) << spec;
  EXPECT_EQ(out.size(), 1u) << "a failed list leaves nothing half-parsed";
  return error;
}

TEST(OtlpEnvironment, ResourceAttributesAreDecodedAndTheLastOfAKeyWins) {
  using KV = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(attributes_of("deployment.environment=ci, ci.job = build%20and%20test,,"),
            (KV{{"deployment.environment", "ci"}, {"ci.job", "build and test"}}));
  EXPECT_EQ(attributes_of("a=1,b=2,a=3"), (KV{{"a", "3"}, {"b", "2"}}));
  EXPECT_EQ(attributes_of("url=https://ci.example/run?id=7%2C8"), (KV{{"url", "https://ci.example/run?id=7,8"}}));
  EXPECT_EQ(attributes_of("name=%C3%A9t%C3%A9,empty="), (KV{{"name", "\xC3\xA9t\xC3\xA9"}, {"empty", ""}}));
  EXPECT_TRUE(attributes_of("").empty());
}

TEST(OtlpEnvironment, MalformedResourceAttributesFailTheWholeList) {
  EXPECT_NE(attributes_error("a=1,b").find("entry 2 has no '='"), std::string::npos);
  EXPECT_NE(attributes_error("=1").find("the key"), std::string::npos);
  EXPECT_NE(attributes_error("a b=1").find("the key"), std::string::npos);
  EXPECT_NE(attributes_error("a=%zz").find("%XX escape"), std::string::npos);
  EXPECT_NE(attributes_error("a=%4").find("%XX escape"), std::string::npos);
  EXPECT_NE(attributes_error("a=two words").find("%-encoded"), std::string::npos);
  EXPECT_NE(attributes_error("a=\"quoted\"").find("%-encoded"), std::string::npos);
  EXPECT_NE(attributes_error("a=1;prop").find("%-encoded"), std::string::npos);
  EXPECT_NE(attributes_error("a=\xC3\xA9").find("%-encoded"), std::string::npos);
  EXPECT_NE(attributes_error("a=x%0D%0Ay").find("control character"), std::string::npos);
  EXPECT_NE(attributes_error("a=%1b[2J").find("control character"), std::string::npos);
  // A key is echoed made printable, never raw.
  EXPECT_EQ(attributes_error("\x1b[2J=1").find('\x1b'), std::string::npos);
}

}  // namespace
}  // namespace proctrace
