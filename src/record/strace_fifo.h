// The FIFO strace writes its output into, in a fresh private directory.
// strace alone opens it for writing (close-on-exec there): an inherited pipe
// would stay open in every tracee, and a daemon left behind would hold the
// recording open.
#pragma once

#include <optional>
#include <string>

#include "record/user_rights.h"

namespace proctrace {

class StraceFifo {
 public:
  // Under sudo strace runs as `user`, so the FIFO is theirs to open; the
  // directory stays ours. Throws std::system_error.
  explicit StraceFifo(const std::optional<InvokingUser>& user);
  ~StraceFifo();
  StraceFifo(const StraceFifo&) = delete;
  StraceFifo& operator=(const StraceFifo&) = delete;

  int fd() const { return fd_; }  // the read end, non-blocking
  const std::string& path() const { return path_; }

 private:
  void cleanup();
  std::string dir_, path_;
  int dir_fd_ = -1;
  int fd_ = -1;
};

}  // namespace proctrace
