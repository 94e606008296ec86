// The FIFO strace writes its output into, in a fresh private directory
// named after the recorder's pid, proctrace-strace-PID-XXXXXX: a recorder
// that was SIGKILLed cannot remove it, the next one does.
// strace alone opens it for writing (close-on-exec there): an inherited pipe
// would stay open in every tracee, and a daemon left behind would hold the
// recording open.
#pragma once

#include <optional>
#include <string>

#include "record/user_rights.h"

namespace proctrace {

// Removes, in `base`, the proctrace-strace-PID-* directories whose recorder
// (PID) is gone and that belong to this user; never follows a symbolic link
// and never descends further than the files a recorder leaves there.
// Returns how many were removed.
int remove_stale_strace_dirs(const std::string& base);

class StraceFifo {
 public:
  // Under sudo strace runs as `user`, so the FIFO is theirs to open; the
  // directory stays ours. Removes the directories of dead recorders first.
  // Throws std::system_error.
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
