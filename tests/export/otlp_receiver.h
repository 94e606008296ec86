// A real OTLP/HTTP receiver on loopback for the tests: a minimal HTTP/1.1
// server in the test process, on a thread, that keeps every body it got.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace proctrace::testing {

// Accepts POSTs (keep-alive), stores each body, answers 200 — or 503 for the
// first `fail_first` requests, to exercise retries.
class Receiver {
 public:
  explicit Receiver(int fail_first = 0) : fail_first_(fail_first) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    listen(fd_, 8);
    thread_ = std::thread([this] { serve(); });
  }
  ~Receiver() {
    stop_ = true;
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1/traces"; }
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
  void serve() {
    while (!stop_) {
      int c = accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      std::string buf;
      char chunk[65536];
      while (true) {
        std::size_t head_end = buf.find("\r\n\r\n");
        if (head_end != std::string::npos) {
          std::string head = buf.substr(0, head_end);
          std::size_t length = 0;
          for (std::string key : {"Content-Length: ", "content-length: "})
            if (auto k = head.find(key); k != std::string::npos) length = std::stoul(head.substr(k + key.size()));
          if (buf.size() >= head_end + 4 + length) {
            std::string body = buf.substr(head_end + 4, length);
            buf.erase(0, head_end + 4 + length);
            bool fail = requests_++ < fail_first_;
            if (!fail) {
              std::lock_guard lock(mutex_);
              bodies_.push_back(body);
              head_ = head;
              path_ = head.substr(head.find(' ') + 1, head.find(' ', head.find(' ') + 1) - head.find(' ') - 1);
              paths_.push_back(path_);
            }
            std::string reply = fail ? "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy"
                                     : "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
            if (write(c, reply.data(), reply.size()) < 0) break;
            continue;
          }
        }
        ssize_t n = read(c, chunk, sizeof chunk);
        if (n <= 0) break;
        buf.append(chunk, static_cast<std::size_t>(n));
      }
      close(c);
    }
  }

  int fd_ = -1;
  int port_ = 0;
  int fail_first_ = 0;
  std::atomic<int> requests_{0};
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::vector<std::string> bodies_;
  std::vector<std::string> paths_;
  std::string path_;
  std::string head_;
  std::thread thread_;
};

}  // namespace proctrace::testing
