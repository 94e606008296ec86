#include "record/recording_output.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

namespace proctrace {

namespace {

constexpr int kOpenFlags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY;

// Whether following the symbolic link `path` writes where its owner meant:
// the link is ours (or root's), and nobody else may replace it, which a
// group- or world-writable directory without the sticky bit allows.
bool symlink_is_trusted(const std::string& path) {
  struct stat link {};
  if (::lstat(path.c_str(), &link) != 0 || !S_ISLNK(link.st_mode)) return false;
  if (link.st_uid != ::geteuid() && link.st_uid != 0) return false;
  std::size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  struct stat parent {};
  if (::stat(dir.c_str(), &parent) != 0) return false;
  bool others_may_write = parent.st_mode & (S_IWGRP | S_IWOTH);
  return !others_may_write || (parent.st_mode & S_ISVTX);
}

// Runs as the user: a new file that did not exist, or -errno.
int create_new(const void* context) {
  const std::string& path = *static_cast<const std::string*>(context);
  int fd = ::open(path.c_str(), kOpenFlags | O_EXCL | O_NOFOLLOW, 0644);
  return fd >= 0 ? fd : -errno;
}

// The first free proctrace-YYYYMMDD-HHMMSS[-N].jsonl, created as the user.
int create_default(const std::optional<InvokingUser>& user, std::string& name) {
  char stamp[32];
  std::time_t now = std::time(nullptr);
  std::tm local{};
  ::localtime_r(&now, &local);
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
  int fd = -EEXIST;
  for (int n = 1; n <= 100 && fd == -EEXIST; ++n) {
    name = std::string("proctrace-") + stamp + (n > 1 ? "-" + std::to_string(n) : "") + ".jsonl";
    fd = open_as_user(user, &create_new, &name);
  }
  return fd;
}

// Whether fd is the file proctrace's stdout writes to (not a terminal or
// /dev/null, where sharing corrupts nothing).
bool is_stdout(int fd) {
  struct stat out {}, ours {};
  if (::fstat(STDOUT_FILENO, &out) != 0 || ::fstat(fd, &ours) != 0) return false;
  if (!S_ISREG(ours.st_mode) && !S_ISFIFO(ours.st_mode) && !S_ISSOCK(ours.st_mode)) return false;
  return out.st_dev == ours.st_dev && out.st_ino == ours.st_ino;
}

// Runs as the user (see open_as_user): a descriptor or -errno; -ELOOP for a
// symbolic link that is not trusted.
int open_output(const void* context) {
  const std::string& path = *static_cast<const std::string*>(context);
  int fd = ::open(path.c_str(), kOpenFlags | O_NOFOLLOW, 0644);
  if (fd >= 0) return fd;
  // A symbolic link fails with ELOOP, or EACCES in a sticky directory.
  int error = errno;
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return -error;
  if (!symlink_is_trusted(path)) return -ELOOP;
  fd = ::open(path.c_str(), kOpenFlags, 0644);
  return fd >= 0 ? fd : -errno;
}

}  // namespace

int open_output_file_as(const std::optional<InvokingUser>& user, const std::string& path) {
  return open_as_user(user, &open_output, &path);
}

RecordingOutput open_recording_output(const std::string& path, const std::optional<InvokingUser>& user) {
  RecordingOutput out;
  if (path == "-") {
    out.writer = std::make_unique<RecordingWriter>(path);
    out.shares_stdout = true;
    spdlog::info("recording to stdout; the command's stdout goes to stderr");
    return out;
  }
  std::string name = path;
  int fd = path.empty() ? create_default(user, name) : open_as_user(user, &open_output, &path);
  if (fd >= 0) {
    out.writer = std::make_unique<RecordingWriter>(fd, name, true);
    out.shares_stdout = is_stdout(fd);
    if (path.empty()) spdlog::info("recording to {} (-o FILE to choose, -o - for stdout)", name);
    if (out.shares_stdout) spdlog::info("{} is also stdout: the command's stdout goes to stderr", name);
    return out;
  }
  if (path.empty()) {
    out.error = name + ": cannot create the recording in the current directory: " + std::strerror(-fd) +
                "; choose a file with -o FILE";
    return out;
  }
  std::string as = user ? " (opened as " + user->name + ", who ran sudo)" : "";
  if (fd == -ELOOP)
    out.error = path + ": refusing to follow this symbolic link: it belongs to another user or sits in a "
                       "directory others can rewrite; give the file it points to" + as;
  else
    out.error = path + ": cannot create: " + std::strerror(-fd) + as;
  return out;
}

}  // namespace proctrace
