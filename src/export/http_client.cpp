#include "export/http_client.h"

#include <algorithm>
#include <thread>

#include "export/curl_library.h"
#include "export/http_checks.h"

namespace proctrace {

namespace {

// What the callbacks fill during one transfer.
struct Transfer {
  HttpResponse* response;
  const HttpLimits* limits;
  std::size_t head_bytes = 0;
  bool head_too_large = false;
};

std::size_t collect_body(char* data, std::size_t size, std::size_t n, void* p) {
  auto& t = *static_cast<Transfer*>(p);
  const std::size_t bytes = size * n;
  std::string& body = t.response->body;
  const std::size_t room = t.limits->max_body - std::min(body.size(), t.limits->max_body);
  body.append(data, std::min(bytes, room));
  if (bytes > room) {
    // Returning less than we were given makes libcurl abort the transfer.
    t.response->body_truncated = true;
    return 0;
  }
  return bytes;
}

std::size_t count_head(char*, std::size_t size, std::size_t n, void* p) {
  auto& t = *static_cast<Transfer*>(p);
  t.head_bytes += size * n;
  if (t.head_bytes > t.limits->max_head) {
    t.head_too_large = true;
    return 0;
  }
  return size * n;
}

}  // namespace

std::string HttpResponse::describe() const {
  std::string out = "HTTP " + std::to_string(status);
  if (status >= 300 && status < 400 && !redirect.empty())
    out += " (redirect to \"" + printable_excerpt(redirect) + "\", not followed)";
  if (!body.empty()) {
    std::string_view text = body;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
    out += ": " + printable_excerpt(text);
  }
  return out;
}

HttpClient::HttpClient(HttpLimits limits) : limits_(limits) {
  const CurlLibrary& curl = curl_library();
  CURLSH* share = curl.share_init();
  if (!share) throw ExportError("cannot initialise libcurl");
  curl.share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
  curl.share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  share_ = share;
}

// A client exists only once curl_library() has loaded.
HttpClient::~HttpClient() { curl_library().share_cleanup(static_cast<CURLSH*>(share_)); }

namespace {

// One easy handle per request, sharing the connection cache. Reusing one
// handle is not safe with the libcurl of Debian 12 (7.88): it keeps a pointer
// to the previous response's last header, and a folded ("obs-fold") first
// header line of the next response is appended through it after it was
// freed. fuzz_http_response found that use-after-free.
struct EasyHandle {
  const CurlLibrary& curl = curl_library();
  CURL* c = curl.easy_init();
  curl_slist* headers = nullptr;
  ~EasyHandle() {
    if (c) curl.easy_cleanup(c);  // before the list it may still point to
    curl.slist_free_all(headers);
  }
};

}  // namespace

HttpResponse HttpClient::post(const std::string& url, std::string_view body, std::string_view content_type,
                              const std::vector<std::string>& extra_headers) {
  // Checked here too, not only where options are parsed: nothing that is
  // not plain HTTP gets near libcurl, whoever built the request.
  require_http_url(url);
  std::string header_error;
  for (const std::string& h : extra_headers)
    if (!check_header_line(h, header_error)) throw ExportError(header_error);

  EasyHandle handle;
  const CurlLibrary& curl = handle.curl;
  CURL* c = handle.c;
  if (!c) throw ExportError("cannot initialise libcurl");
  HttpResponse response;
  Transfer transfer{&response, &limits_};
  std::string header = "Content-Type: " + std::string(content_type);
  handle.headers = curl.slist_append(nullptr, header.c_str());
  // No "Expect: 100-continue" round trip before large bodies.
  handle.headers = curl.slist_append(handle.headers, "Expect:");
  for (auto& h : extra_headers) handle.headers = curl.slist_append(handle.headers, h.c_str());
  char error[CURL_ERROR_SIZE] = "";
  curl.easy_setopt(c, CURLOPT_SHARE, static_cast<CURLSH*>(share_));
  curl.easy_setopt(c, CURLOPT_URL, url.c_str());
  // The second wall behind require_http_url: libcurl itself speaks nothing
  // else, and redirects are not followed at all (a collector has no reason
  // to send us elsewhere, and our headers, an API key among them, would go
  // along). The lists are set anyway in case that ever changes.
  curl.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl.easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl.easy_setopt(c, CURLOPT_POST, 1L);
  curl.easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl.easy_setopt(c, CURLOPT_HTTPHEADER, handle.headers);
  curl.easy_setopt(c, CURLOPT_WRITEFUNCTION, collect_body);
  curl.easy_setopt(c, CURLOPT_WRITEDATA, &transfer);
  curl.easy_setopt(c, CURLOPT_HEADERFUNCTION, count_head);
  curl.easy_setopt(c, CURLOPT_HEADERDATA, &transfer);
  curl.easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl.easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(limits_.timeout.count()));
  curl.easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(limits_.connect_timeout.count()));
  curl.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  CURLcode rc = curl.easy_perform(c);
  curl.easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);
  const std::string where = printable_excerpt(url);
  if (transfer.head_too_large)
    throw HttpBadResponse(where + ": response head larger than " + std::to_string(limits_.max_head) +
                          " bytes; transfer aborted");
  curl.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  if (rc == CURLE_WRITE_ERROR && response.body_truncated && response.status) return response;
  if (rc != CURLE_OK) {
    std::string why = error[0] ? error : curl.easy_strerror(rc);
    if (rc == CURLE_OPERATION_TIMEDOUT) why += " (connect timeout " + std::to_string(limits_.connect_timeout.count()) +
                                               " ms, request timeout " + std::to_string(limits_.timeout.count()) + " ms)";
    throw HttpUnreachable(where + ": " + printable_excerpt(why), rc != CURLE_OPERATION_TIMEDOUT);
  }
  if (response.status >= 300 && response.status < 400) {
    char* location = nullptr;
    if (curl.easy_getinfo(c, CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location) response.redirect = location;
  }
  return response;
}

bool retry_with_backoff(const Backoff& backoff, const std::function<bool(int)>& attempt) {
  auto delay = backoff.first_delay;
  for (int i = 0; i < backoff.attempts; ++i) {
    if (i) {
      std::this_thread::sleep_for(delay);
      delay = std::min(delay * 2, backoff.max_delay);
    }
    if (attempt(i)) return true;
  }
  return false;
}

std::string append_query(const std::string& url, const std::string& param) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + param;
}

}  // namespace proctrace
