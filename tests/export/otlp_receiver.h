// A real OTLP/HTTP receiver on loopback for the tests: LoopbackHttp (a
// minimal HTTP/1.1 server on a thread in the test process) answering like a
// collector, keeping every body it got.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "loopback_http.h"

namespace proctrace::testing {

// Accepts POSTs (keep-alive), stores each body, answers 200 — or 503 for the
// first `fail_first` requests, to exercise retries.
class Receiver {
 public:
  explicit Receiver(int fail_first = 0)
      : fail_first_(fail_first),
        http_([this](int fd, const std::string& request, const std::atomic<bool>&) { return answer(fd, request); }) {}

  std::string url() const { return http_.url(); }
  std::vector<std::string> bodies() {
    std::lock_guard lock(mutex_);
    return bodies_;
  }
  // The request path of each body, in the same order.
  std::vector<std::string> paths() {
    std::lock_guard lock(mutex_);
    return paths_;
  }
  int requests() const { return requests_; }
  std::string last_path() {
    std::lock_guard lock(mutex_);
    return path_;
  }
  std::string last_head() {
    std::lock_guard lock(mutex_);
    return head_;
  }

 private:
  bool answer(int fd, const std::string& request) {
    const std::size_t head_end = request.find("\r\n\r\n");
    const bool fail = requests_++ < fail_first_;
    if (!fail) {
      std::lock_guard lock(mutex_);
      head_ = request.substr(0, head_end);
      bodies_.push_back(request.substr(head_end + 4));
      const std::size_t from = head_.find(' ') + 1;
      path_ = head_.substr(from, head_.find(' ', from) - from);
      paths_.push_back(path_);
    }
    return LoopbackHttp::write_all(fd, fail ? "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy"
                                            : "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                              "Content-Length: 2\r\n\r\n{}");
  }

  int fail_first_ = 0;
  std::atomic<int> requests_{0};
  std::mutex mutex_;
  std::vector<std::string> bodies_;
  std::vector<std::string> paths_;
  std::string path_;
  std::string head_;
  LoopbackHttp http_;  // last: its thread stops before the members it answers with go
};

}  // namespace proctrace::testing
