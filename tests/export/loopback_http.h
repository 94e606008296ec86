// A real HTTP/1.1 listener on 127.0.0.1 for the network export tests. It
// keeps the raw bytes of every request (so a test sees exactly what went on
// the wire) and answers each one with whatever the test's `answer` does
// with the connection: write a canned reply, stream forever, or say nothing.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace proctrace::testing {

class LoopbackHttp {
 public:
  // Called once per complete request (head and Content-Length body) with
  // the connection and the raw request. Returns false to close it.
  using Answer = std::function<bool(int fd, const std::string& request, const std::atomic<bool>& stopping)>;

  explicit LoopbackHttp(Answer answer, int backlog = 8) : answer_(std::move(answer)) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    listen(fd_, backlog);
    thread_ = std::thread([this] { serve(); });
  }
  ~LoopbackHttp() {
    stopping_ = true;
    shutdown(fd_, SHUT_RDWR);
    thread_.join();
    close(fd_);
  }

  // A reply with this status line and body, connection kept alive.
  static Answer reply(std::string status, std::string body = "", std::string extra_head = "") {
    return [=](int fd, const std::string&, const std::atomic<bool>&) {
      std::string r = "HTTP/1.1 " + status + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
                      extra_head + "\r\n" + body;
      return write_all(fd, r);
    };
  }
  static bool write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }
  // Waits until the peer closes the connection or the server stops.
  static void wait_for_close(int fd, const std::atomic<bool>& stopping) {
    char c;
    while (!stopping) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 50) > 0 && recv(fd, &c, 1, MSG_PEEK) <= 0) return;
    }
  }

  int port() const { return port_; }
  std::string url(const std::string& path = "/v1/traces") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::vector<std::string> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  int connections() const { return connections_; }

 private:
  void serve() {
    while (!stopping_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      int c = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) return;
      connections_++;
      std::string buf;
      char chunk[65536];
      bool open = true;
      while (open && !stopping_) {
        std::size_t head_end = buf.find("\r\n\r\n");
        if (head_end != std::string::npos) {
          std::size_t length = 0;
          std::string head = buf.substr(0, head_end);
          for (std::string key : {"\r\nContent-Length: ", "\r\ncontent-length: "})
            if (auto k = head.find(key); k != std::string::npos) length = std::stoul(head.substr(k + key.size()));
          if (buf.size() >= head_end + 4 + length) {
            std::string request = buf.substr(0, head_end + 4 + length);
            buf.erase(0, request.size());
            {
              std::lock_guard lock(mutex_);
              requests_.push_back(request);
            }
            open = answer_(c, request, stopping_);
            continue;
          }
        }
        pollfd q{c, POLLIN, 0};
        if (poll(&q, 1, 50) <= 0) continue;
        ssize_t n = read(c, chunk, sizeof chunk);
        if (n <= 0) break;
        buf.append(chunk, static_cast<std::size_t>(n));
      }
      close(c);
    }
  }

  Answer answer_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::mutex mutex_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

}  // namespace proctrace::testing
