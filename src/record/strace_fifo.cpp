#include "record/strace_fifo.h"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace proctrace {

namespace {

constexpr const char* kFifoName = "out";

// Root ignores $TMPDIR: a directory a user controls could be swapped under
// root's feet. /tmp is sticky: nobody else can rename what root creates.
std::string temp_base() {
  const char* base = std::getenv("TMPDIR");
  if (::geteuid() == 0 || !base || !*base) return "/tmp";
  return base;
}

[[noreturn]] void fail(int error, const std::string& what) {
  throw std::system_error(error, std::generic_category(), what);
}

}  // namespace

StraceFifo::StraceFifo(const std::optional<InvokingUser>& user) {
  std::string tmpl = temp_base() + "/proctrace-strace-XXXXXX";
  if (!::mkdtemp(tmpl.data())) fail(errno, "mkdtemp " + tmpl);
  dir_ = tmpl;
  path_ = dir_ + "/" + kFifoName;
  // Every step below goes through the directory's descriptor, never the
  // path again.
  dir_fd_ = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dir_fd_ < 0) {
    int e = errno;
    ::rmdir(dir_.c_str());
    fail(e, "open " + dir_);
  }
  auto undo = [this](const std::string& what) {
    int e = errno;
    cleanup();
    fail(e, what);
  };
  if (::mkfifoat(dir_fd_, kFifoName, 0600) != 0) undo("mkfifo " + path_);
  if (user) {
    // strace runs as the user: it may pass through our directory to the
    // FIFO we just made for it, and open nothing else there.
    if (::fchownat(dir_fd_, kFifoName, user->uid, user->gid, AT_SYMLINK_NOFOLLOW) != 0) undo("chown " + path_);
    if (::fchmod(dir_fd_, 0711) != 0) undo("chmod " + dir_);
  }
  // Non-blocking: opening does not wait for strace, and strace's open for
  // writing finds a reader.
  fd_ = ::openat(dir_fd_, kFifoName, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
  if (fd_ < 0) undo("open " + path_);
}

StraceFifo::~StraceFifo() { cleanup(); }

void StraceFifo::cleanup() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (dir_fd_ < 0) return;
  ::unlinkat(dir_fd_, kFifoName, 0);
  ::close(dir_fd_);
  dir_fd_ = -1;
  ::rmdir(dir_.c_str());
}

}  // namespace proctrace
