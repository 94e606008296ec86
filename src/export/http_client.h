// A small blocking HTTP POST client (libcurl) for the network exports
// (ClickHouse, OTLP). One connection is kept alive across requests.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "export/export_error.h"

namespace proctrace {

struct HttpResponse {
  long status = 0;
  std::string body;
  bool ok() const { return status >= 200 && status < 300; }
};

// No response at all: refused, unresolvable, timed out.
struct HttpUnreachable : ExportError {
  using ExportError::ExportError;
};

class HttpClient {
 public:
  explicit HttpClient(std::chrono::milliseconds timeout = std::chrono::seconds(60));
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Throws HttpUnreachable when no HTTP response came back.
  // extra_headers: "Name: value" lines.
  HttpResponse post(const std::string& url, std::string_view body, std::string_view content_type,
                    const std::vector<std::string>& extra_headers = {});

 private:
  void* curl_;
  std::chrono::milliseconds timeout_;
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
