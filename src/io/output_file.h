// Buffered output to a file or stdout ("-"), written with write(2) in whole
// buffers. Errors (disk full, closed pipe) throw WriteError naming the file.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace proctrace {

struct WriteError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class OutputFile {
 public:
  explicit OutputFile(const std::string& path);
  OutputFile(int fd, std::string name, bool owned);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // The buffer itself: append to it directly on hot paths, then call
  // maybe_flush() at a line boundary.
  std::string& buffer() { return buffer_; }
  void write(std::string_view s) {
    buffer_ += s;
    maybe_flush();
  }
  void maybe_flush() {
    if (buffer_.size() >= threshold_) flush();
  }
  void flush();
  void set_flush_threshold(std::size_t bytes) { threshold_ = bytes; }
  const std::string& name() const { return name_; }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  bool owned_ = false;
  std::string name_;
  std::string buffer_;
  std::size_t threshold_ = 1 << 16;
};

}  // namespace proctrace
