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
