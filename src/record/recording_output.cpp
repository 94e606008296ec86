#include "record/recording_output.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
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

RecordingOutput open_recording_output(const std::string& path, const std::optional<InvokingUser>& user) {
  RecordingOutput out;
  if (path == "-") {
    out.writer = std::make_unique<RecordingWriter>(path);
    return out;
  }
  int fd = open_as_user(user, &open_output, &path);
  if (fd >= 0) {
    out.writer = std::make_unique<RecordingWriter>(fd, path, true);
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
