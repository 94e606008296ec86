// Fuzzes what the network exports do with an HTTP answer: each input is
// served as the raw response bytes of a real loopback listener to the real
// client (libcurl with our caps and callbacks). Whatever comes back, the
// body stays under the cap, and the text that would reach an error message
// is short and holds no control characters. The same bytes also go through
// the OTEL_EXPORTER_OTLP_HEADERS parser: nothing it accepts may be an
// invalid header field.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "export/http_checks.h"
#include "export/http_client.h"
#include "export/otlp_environment.h"
#include "fuzz_support.h"

using namespace proctrace;

namespace {

bool printable(std::string_view text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  return text.find("\xc2\x9b") == std::string_view::npos;
}

// Serves `answer` to every connection: reads the request head and body,
// writes the answer, closes.
class Listener {
 public:
  Listener() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd_, 16) != 0) std::abort();
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    url_ = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/v1/traces";
    std::thread([this] { serve(); }).detach();  // lives as long as the fuzzer
  }
  void set_answer(std::string_view answer) {
    std::lock_guard lock(mutex_);
    answer_.assign(answer);
  }
  const std::string& url() const { return url_; }

 private:
  void serve() {
    for (;;) {
      int c = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      std::string request;
      char buf[4096];
      // The client's request ends with the 2-byte body "{}" after the head.
      while (request.find("\r\n\r\n") == std::string::npos ||
             request.size() < request.find("\r\n\r\n") + 6) {
        pollfd p{c, POLLIN, 0};
        if (poll(&p, 1, 2000) <= 0) break;
        ssize_t n = read(c, buf, sizeof buf);
        if (n <= 0) break;
        request.append(buf, static_cast<std::size_t>(n));
      }
      std::string answer;
      {
        std::lock_guard lock(mutex_);
        answer = answer_;
      }
      std::string_view rest = answer;
      while (!rest.empty()) {
        ssize_t n = send(c, rest.data(), rest.size(), MSG_NOSIGNAL);
        if (n <= 0) break;
        rest.remove_prefix(static_cast<std::size_t>(n));
      }
      shutdown(c, SHUT_WR);
      close(c);
    }
  }

  int fd_ = -1;
  std::string url_;
  std::mutex mutex_;
  std::string answer_;
};

void check_headers(std::string_view input) {
  std::vector<std::string> headers;
  std::string error;
  if (parse_otlp_headers(input, headers, error)) {
    for (const std::string& h : headers) FUZZ_CHECK(check_header_line(h, error), h);
  } else {
    FUZZ_CHECK(!error.empty(), input);
    FUZZ_CHECK(printable(error), error);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Listener listener;
  // Small caps, so that short inputs reach them.
  static const HttpLimits limits = [] {
    HttpLimits l;
    l.connect_timeout = std::chrono::milliseconds(2000);
    l.timeout = std::chrono::milliseconds(3000);
    l.max_body = 512;
    l.max_head = 2048;
    return l;
  }();
  static HttpClient client(limits);

  std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string excerpt = printable_excerpt(input);
  FUZZ_CHECK(printable(excerpt), excerpt);
  FUZZ_CHECK(excerpt.size() <= 4 * 200 + 32, excerpt);
  check_headers(input);

  listener.set_answer(input);
  try {
    HttpResponse r = client.post(listener.url(), "{}", "application/json");
    FUZZ_CHECK(r.body.size() <= limits.max_body, r.body);
    const std::string message = r.describe();
    FUZZ_CHECK(printable(message), message);
    FUZZ_CHECK(message.size() <= 2 * (4 * 200 + 32) + 64, message);
  } catch (const HttpUnreachable& e) {
    FUZZ_CHECK(printable(e.what()), e.what());
  } catch (const ExportError& e) {
    FUZZ_CHECK(printable(e.what()), e.what());
  }
  return 0;
}
