#include "io/output_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace proctrace {

OutputFile::OutputFile(const std::string& path) : name_(path == "-" ? "<stdout>" : path) {
  if (path == "-") {
    fd_ = STDOUT_FILENO;
    return;
  }
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) throw WriteError(path + ": cannot create: " + std::strerror(errno));
  owned_ = true;
}

OutputFile::OutputFile(int fd, std::string name, bool owned) : fd_(fd), owned_(owned), name_(std::move(name)) {}

OutputFile::~OutputFile() {
  try {
    flush();
  } catch (...) {
    // Destructors must not throw; callers that care call flush() themselves.
  }
  if (owned_) ::close(fd_);
}

void OutputFile::flush() {
  std::size_t done = 0;
  while (done < buffer_.size()) {
    ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      buffer_.erase(0, done);
      throw WriteError(name_ + ": write failed: " + std::strerror(e));
    }
    done += static_cast<std::size_t>(n);
  }
  buffer_.clear();
}

}  // namespace proctrace
