#include "record/strace_fifo.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <string_view>
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

constexpr std::string_view kPrefix = "proctrace-strace-";

// The recorder pid in a name proctrace-strace-PID-XXXXXX, or 0.
pid_t owner_pid(std::string_view name) {
  if (name.substr(0, kPrefix.size()) != kPrefix) return 0;
  name.remove_prefix(kPrefix.size());
  std::size_t dash = name.find('-');
  if (dash == 0 || dash == std::string_view::npos || dash > 9 || name.size() - dash - 1 != 6) return 0;
  pid_t pid = 0;
  for (char c : name.substr(0, dash)) {
    if (c < '0' || c > '9') return 0;
    pid = pid * 10 + (c - '0');
  }
  return pid;
}

bool process_exists(pid_t pid) { return ::kill(pid, 0) == 0 || errno == EPERM; }

// Empties and removes the directory `name` in base_fd if it is a real
// directory of ours: checked on the opened descriptor, so a swap after the
// check changes nothing.
bool remove_dir_of_ours(int base_fd, const char* name) {
  int fd = ::openat(base_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_uid != ::geteuid()) {
    ::close(fd);
    return false;
  }
  DIR* dir = ::fdopendir(fd);
  if (!dir) {
    ::close(fd);
    return false;
  }
  while (dirent* entry = ::readdir(dir))
    if (std::strcmp(entry->d_name, ".") != 0 && std::strcmp(entry->d_name, "..") != 0)
      ::unlinkat(fd, entry->d_name, 0);  // a FIFO (or a link: unlinked, never followed)
  ::closedir(dir);
  return ::unlinkat(base_fd, name, AT_REMOVEDIR) == 0;
}

[[noreturn]] void fail(int error, const std::string& what) {
  throw std::system_error(error, std::generic_category(), what);
}

}  // namespace

int remove_stale_strace_dirs(const std::string& base) {
  int base_fd = ::open(base.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (base_fd < 0) return 0;
  DIR* dir = ::fdopendir(base_fd);
  if (!dir) {
    ::close(base_fd);
    return 0;
  }
  int removed = 0;
  while (dirent* entry = ::readdir(dir)) {
    pid_t pid = owner_pid(entry->d_name);
    if (pid <= 0 || pid == ::getpid() || process_exists(pid)) continue;
    struct stat st {};
    if (::fstatat(base_fd, entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (!S_ISDIR(st.st_mode) || st.st_uid != ::geteuid()) continue;
    removed += remove_dir_of_ours(base_fd, entry->d_name);
  }
  ::closedir(dir);
  return removed;
}

StraceFifo::StraceFifo(const std::optional<InvokingUser>& user) {
  std::string base = temp_base();
  remove_stale_strace_dirs(base);
  std::string tmpl = base + "/" + std::string(kPrefix) + std::to_string(::getpid()) + "-XXXXXX";
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
