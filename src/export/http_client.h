// A small blocking HTTP POST client (libcurl) for the network exports
// (ClickHouse, OTLP). Connections are kept alive across requests.
// Everything an endpoint sends back is bounded: http(s) only, no redirects
// followed, capped response heads and bodies, connect and request timeouts.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "export/export_error.h"

namespace proctrace {

struct HttpLimits {
  // A dead or firewalled endpoint costs this much, not minutes.
  std::chrono::milliseconds connect_timeout{5000};
  // The whole request (connect, send, answer) of one attempt.
  std::chrono::milliseconds timeout{30000};
  // Collectors and ClickHouse answer with a few bytes (an error message at
  // most); more is kept no further: an endless body ends the transfer.
  std::size_t max_body = 64 << 10;
  // The status line and header fields together.
  std::size_t max_head = 64 << 10;
};

struct HttpResponse {
  long status = 0;
  std::string body;            // at most HttpLimits::max_body bytes
  bool body_truncated = false;  // the server sent more; the transfer was cut
  std::string redirect;        // a 3xx's Location: reported, never followed
  bool ok() const { return status >= 200 && status < 300; }
  // "HTTP 503: <start of the body, printable>", for error messages.
  std::string describe() const;
};

// No response at all: refused, unresolvable, timed out.
struct HttpUnreachable : ExportError {
  HttpUnreachable(const std::string& what, bool worth_retrying)
      : ExportError(what), worth_retrying(worth_retrying) {}
  // A refused connection may be a server restarting: try again. A timeout is
  // not retried: waiting as long again would rarely help and multiplies the
  // cost of a dead endpoint.
  bool worth_retrying;
};

// The server answered with something we will not read (a head past
// max_head): not retried.
struct HttpBadResponse : ExportError {
  using ExportError::ExportError;
};

class HttpClient {
 public:
  explicit HttpClient(HttpLimits limits = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Throws ExportError for a URL that is not http(s) or a header line that
  // is not a valid field (checked before anything is sent), HttpUnreachable
  // when no HTTP response came back, HttpBadResponse for an oversized head.
  // extra_headers: "Name: value" lines.
  HttpResponse post(const std::string& url, std::string_view body, std::string_view content_type,
                    const std::vector<std::string>& extra_headers = {});

  const HttpLimits& limits() const { return limits_; }

 private:
  void* share_;  // CURLSH: the connection cache every request's handle uses
  HttpLimits limits_;
};

// Exponential back-off: attempt, sleep, attempt... `attempt` returns true
// when done, false to try again (it decides what is worth retrying).
struct Backoff {
  int attempts = 5;
  std::chrono::milliseconds first_delay{200};
  std::chrono::milliseconds max_delay{5000};
};
bool retry_with_backoff(const Backoff& backoff, const std::function<bool(int attempt)>& attempt);

// "http://host:8123" + "?a=b" joined with the right separator.
std::string append_query(const std::string& url, const std::string& param);

}  // namespace proctrace
