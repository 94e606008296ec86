#include "export/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>
#include <thread>

namespace proctrace {

namespace {

std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

}  // namespace

HttpClient::HttpClient(std::chrono::milliseconds timeout) : timeout_(timeout) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  curl_ = curl_easy_init();
  if (!curl_) throw ExportError("cannot initialise libcurl");
}

HttpClient::~HttpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

HttpResponse HttpClient::post(const std::string& url, std::string_view body, std::string_view content_type,
                              const std::vector<std::string>& extra_headers) {
  CURL* c = static_cast<CURL*>(curl_);
  HttpResponse response;
  std::string header = "Content-Type: " + std::string(content_type);
  curl_slist* headers = curl_slist_append(nullptr, header.c_str());
  // No "Expect: 100-continue" round trip before large bodies.
  headers = curl_slist_append(headers, "Expect:");
  for (auto& h : extra_headers) headers = curl_slist_append(headers, h.c_str());
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(headers);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, nullptr);
  if (rc != CURLE_OK)
    throw HttpUnreachable(url + ": " + (error[0] ? error : curl_easy_strerror(rc)));
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
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
