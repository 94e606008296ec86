// The network exports against real loopback listeners that misbehave: other
// URL schemes, redirects elsewhere, endless answers, silence. Each listener
// keeps the raw bytes it received, so the tests see what went on the wire.
#include "export/http_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>

#include "export/http_checks.h"
#include "loopback_http.h"
#include "test_support.h"

namespace proctrace {
namespace {

using testing::fixture;
using testing::LoopbackHttp;
using testing::run_proctrace;
using testing::TempDir;
using testing::write_file;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

bool has_control_bytes(const std::string& text) {
  for (char c : text)
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') || c == 0x7f) return true;
  return false;
}

class HttpExport : public ::testing::Test {
 protected:
  TempDir dir;
  std::string small = fixture("export/small.jsonl");
  // A file the URL tricks below try to read: its text must never come back.
  std::string secret = dir.file("secret.txt");
  void SetUp() override { write_file(secret, "TOP-SECRET-CONTENT\n"); }
};

TEST_F(HttpExport, OnlyHttpAndHttpsUrlsAreAccepted) {
  LoopbackHttp listener(LoopbackHttp::reply("200 OK", "{}"));
  const std::string gopher =
      "gopher://127.0.0.1:" + std::to_string(listener.port()) + "/_POST%20/smuggled%20HTTP/1.1%0D%0A%0D%0A";
  for (const std::string& url : {"file://" + secret, gopher, std::string("dict://127.0.0.1:1/"),
                                 std::string("127.0.0.1:8123")}) {
    for (const char* option : {"--otlp-endpoint", "--clickhouse"}) {
      auto r = run_proctrace({"export", option, url, small});
      EXPECT_EQ(r.exit_code, 2) << option << " " << url << "\n" << r.err;
      EXPECT_NE(r.err.find("only http:// and https:// URLs are accepted"), std::string::npos) << r.err;
      EXPECT_EQ(r.err.find("TOP-SECRET"), std::string::npos) << r.err;
    }
  }
  // The environment's endpoint is checked the same way.
  setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", ("file://" + secret).c_str(), 1);
  auto env = run_proctrace({"export", "--otlp", small});
  unsetenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  EXPECT_EQ(env.exit_code, 2) << env.err;
  EXPECT_NE(env.err.find("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"), std::string::npos) << env.err;
  EXPECT_EQ(env.err.find("TOP-SECRET"), std::string::npos) << env.err;

  // And by the client itself, whoever calls it.
  HttpClient http;
  EXPECT_THROW(http.post("file://" + secret, "", "text/plain"), ExportError);
  EXPECT_THROW(http.post(gopher, "", "text/plain"), ExportError);
  EXPECT_EQ(listener.connections(), 0);
}

TEST_F(HttpExport, AFoldedFirstHeaderAfterAnEarlierAnswerIsHarmless) {
  // Regression (fuzz_http_response): libcurl 7.88 appended an obs-fold line
  // to the previous response's freed last header when one handle served two
  // requests. Under the sanitizer build this was a heap-use-after-free.
  std::atomic<int> answered{0};
  LoopbackHttp listener([&](int fd, const std::string&, const std::atomic<bool>&) {
    if (answered++ == 0) return LoopbackHttp::write_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-A: b\r\n\r\nok");
    LoopbackHttp::write_all(fd, "HTTP/1.1 503 Service\r\n Unavailable: B\r\n\r\nbusy\n");
    return false;
  });
  HttpClient http;
  EXPECT_EQ(http.post(listener.url(), "{}", "application/json").status, 200);
  try {
    HttpResponse r = http.post(listener.url(), "{}", "application/json");
    EXPECT_FALSE(r.ok());
  } catch (const ExportError& e) {
    EXPECT_FALSE(has_control_bytes(e.what())) << e.what();
  }
  EXPECT_EQ(answered, 2);
}

TEST_F(HttpExport, RedirectsAreReportedNotFollowed) {
  LoopbackHttp elsewhere(LoopbackHttp::reply("200 OK", "{}"));
  const std::string gopher = "gopher://127.0.0.1:" + std::to_string(elsewhere.port()) + "/_smuggled";
  for (const std::string& target : {"file://" + secret, gopher, elsewhere.url()}) {
    LoopbackHttp redirecting(LoopbackHttp::reply("307 Temporary Redirect", "", "Location: " + target + "\r\n"));
    {
      // Scoped: the listener serves one connection at a time, and this
      // client keeps its connection open while it lives.
      HttpClient http;
      HttpResponse r = http.post(redirecting.url(), "{}", "application/json");
      EXPECT_EQ(r.status, 307);
      EXPECT_EQ(r.redirect, target);
      EXPECT_NE(r.describe().find("not followed"), std::string::npos) << r.describe();
    }

    auto cli = run_proctrace({"export", "--otlp-endpoint", redirecting.url(), small});
    EXPECT_EQ(cli.exit_code, 1) << cli.err;
    EXPECT_NE(cli.err.find("HTTP 307 (redirect to \"" + target + "\", not followed)"), std::string::npos) << cli.err;
    EXPECT_EQ(cli.err.find("TOP-SECRET"), std::string::npos) << cli.err;
    EXPECT_EQ(redirecting.requests().size(), 2u) << "a 307 is not retried";
  }
  EXPECT_EQ(elsewhere.connections(), 0);
}

TEST_F(HttpExport, HeaderLinesWithControlCharactersNeverReachTheWire) {
  LoopbackHttp listener(LoopbackHttp::reply("200 OK", "{}"));
  HttpClient http;
  for (const std::string& bad : {std::string("X-Key: a\r\nX-Injected: 1"), std::string("X-Key: a\nb"),
                                 std::string("X-Key: a\x1b[2J"), std::string("X Key: a"),
                                 std::string("X-Key\r\nX-Injected: 1: a"), std::string("no colon")}) {
    EXPECT_THROW(http.post(listener.url(), "{}", "application/json", {bad}), ExportError) << bad;
  }
  EXPECT_EQ(listener.connections(), 0);
  // Tabs and non-ASCII bytes are fine in a value.
  EXPECT_TRUE(http.post(listener.url(), "{}", "application/json", {"X-Key: a\tb \xc3\xa9"}).ok());
  ASSERT_EQ(listener.requests().size(), 1u);
  EXPECT_NE(listener.requests()[0].find("\r\nX-Key: a\tb \xc3\xa9\r\n"), std::string::npos);
}

TEST_F(HttpExport, AnEndlessBodyIsCutAtTheCapAndEchoedShortAndPrintable) {
  std::atomic<std::uint64_t> sent{0};
  const std::uint64_t give_up = 256ull << 20;  // the test's own bound, if the client never stops
  auto endless = [&](const char* status) {
    return [&, status](int fd, const std::string&, const std::atomic<bool>& stopping) {
      std::string head = std::string("HTTP/1.1 ") + status + "\r\nConnection: close\r\n\r\n";
      if (!LoopbackHttp::write_all(fd, head)) return false;
      // Terminal escapes and a C1 CSI (U+009B), then more of the same forever.
      std::string chunk = "\x1b]0;owned\x07\x1b[2J\xc2\x9b" "31m";
      chunk.resize(64 << 10, 'x');
      while (!stopping && sent < give_up && LoopbackHttp::write_all(fd, chunk)) sent += chunk.size();
      return false;
    };
  };
  {
    LoopbackHttp listener(endless("500 Internal Server Error"));
    HttpClient http;
    HttpResponse r = http.post(listener.url(), "{}", "application/json");
    EXPECT_EQ(r.status, 500);
    EXPECT_TRUE(r.body_truncated);
    EXPECT_EQ(r.body.size(), HttpLimits{}.max_body);

    auto cli = run_proctrace({"export", "--otlp-endpoint", listener.url(), small});
    EXPECT_EQ(cli.exit_code, 1) << cli.err;
    EXPECT_NE(cli.err.find("HTTP 500: \\x1b]0;owned\\x07\\x1b[2J\\xc2\\x9b31mxxx"), std::string::npos) << cli.err;
    EXPECT_FALSE(has_control_bytes(cli.err)) << cli.err;
    EXPECT_EQ(cli.err.find("\xc2\x9b"), std::string::npos);
    EXPECT_LT(cli.err.size(), 1000u) << cli.err;
  }
  // Socket buffers hold a few MiB at most: the client stopped reading early.
  EXPECT_LT(sent.load(), 32ull << 20);

  // The same behind a 200: the spans were accepted, the rest is not read.
  sent = 0;
  LoopbackHttp accepting(endless("200 OK"));
  auto ok = run_proctrace({"export", "--otlp-endpoint", accepting.url(), small});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_LT(sent.load(), 32ull << 20);
}

TEST_F(HttpExport, AnEndlessHeadIsRefused) {
  LoopbackHttp listener([](int fd, const std::string&, const std::atomic<bool>& stopping) {
    if (!LoopbackHttp::write_all(fd, "HTTP/1.1 200 OK\r\n")) return false;
    std::string field = "X-Filler: " + std::string(1000, 'y') + "\r\n";
    for (int i = 0; i < 100000 && !stopping; ++i)
      if (!LoopbackHttp::write_all(fd, field)) break;
    return false;
  });
  HttpClient http;
  EXPECT_THROW(http.post(listener.url(), "{}", "application/json"), HttpBadResponse);
}

TEST_F(HttpExport, AServerThatNeverAnswersFailsWithinTheTimeoutAndIsNotRetried) {
  LoopbackHttp silent([](int fd, const std::string&, const std::atomic<bool>& stopping) {
    LoopbackHttp::wait_for_close(fd, stopping);
    return false;
  });
  auto start = Clock::now();
  auto r = run_proctrace({"export", "--otlp-endpoint", silent.url(), "--timeout", "1", small});
  const double took = seconds_since(start);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("timed out"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("6 of 6 spans not sent"), std::string::npos) << r.err;
  EXPECT_LT(took, 5.0) << r.err;
  EXPECT_EQ(silent.requests().size(), 1u);

  auto clickhouse = run_proctrace({"export", "--clickhouse", silent.url("/"), "--timeout", "0.5", small});
  EXPECT_EQ(clickhouse.exit_code, 1) << clickhouse.err;
  EXPECT_NE(clickhouse.err.find("timed out"), std::string::npos) << clickhouse.err;
  EXPECT_EQ(silent.requests().size(), 2u);
}

TEST_F(HttpExport, AnEndpointThatNeverAcceptsFailsWithinTheConnectTimeout) {
  // A listener whose accept queue is full drops new SYNs: connecting hangs,
  // as it does towards a firewalled host.
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ASSERT_EQ(listen(fd, 0), 0);
  std::vector<int> fillers;
  for (int i = 0; i < 4; ++i) {
    int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    connect(c, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    fillers.push_back(c);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const std::string url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/v1/traces";
  auto start = Clock::now();
  auto r = run_proctrace({"export", "--otlp-endpoint", url, "--connect-timeout", "0.5", "--timeout", "20", small});
  const double took = seconds_since(start);
  for (int c : fillers) close(c);
  close(fd);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  // libcurl words it "Failed to connect" or "Connection timeout" depending
  // on which of its timers fires first; either way our note names the limit.
  EXPECT_TRUE(r.err.find("Failed to connect") != std::string::npos ||
              r.err.find("Connection timeout") != std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(connect timeout 500 ms"), std::string::npos) << r.err;
  EXPECT_LT(took, 5.0) << r.err;
}

TEST_F(HttpExport, TimeoutOptionsAreCheckedAndDocumented) {
  for (const char* bad : {"0", "-1", "nan", "inf", "99999"}) {
    auto r = run_proctrace({"export", "--otlp-endpoint", "http://127.0.0.1:1/", "--timeout", bad, small});
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.err;
  }
  auto help = run_proctrace({"export", "--help"});
  EXPECT_NE(help.out.find("--connect-timeout"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("default 30"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("redirects are not"), std::string::npos) << help.out;
  EXPECT_EQ(HttpLimits{}.connect_timeout, std::chrono::seconds(5));
  EXPECT_EQ(HttpLimits{}.timeout, std::chrono::seconds(30));
}

TEST(HttpChecks, PrintableExcerptEscapesAndCuts) {
  EXPECT_EQ(printable_excerpt("a\x1b[31mb\r\n\x7f"), "a\\x1b[31mb\\x0d\\x0a\\x7f");
  EXPECT_EQ(printable_excerpt("caf\xc3\xa9 \xc2\x9b \xff"), "caf\xc3\xa9 \\xc2\\x9b \\xff");
  EXPECT_EQ(printable_excerpt(std::string(300, 'z')), std::string(200, 'z') + "... (300 bytes)");
  // A character is never cut in two at the limit.
  EXPECT_EQ(printable_excerpt("ab\xc3\xa9", 3), "ab... (4 bytes)");
  EXPECT_TRUE(is_http_url("HTTPS://example.com"));
  EXPECT_FALSE(is_http_url("httpx://example.com"));
  EXPECT_FALSE(is_http_url(" http://example.com"));
}

}  // namespace
}  // namespace proctrace
