#include "deliver/user_files.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace proctrace {

namespace {

// These run in the child that became the user: system calls only.

int make_directory(const void* context) {
  const char* path = static_cast<const std::string*>(context)->c_str();
  if (::mkdir(path, 0755) != 0 && errno != EEXIST) return -errno;
  int fd = ::open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  return fd >= 0 ? fd : -errno;
}

int create_file(const void* context) {
  const char* path = static_cast<const std::string*>(context)->c_str();
  int fd = ::open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0644);
  return fd >= 0 ? fd : -errno;
}

int open_read(const void* context) {
  const char* path = static_cast<const std::string*>(context)->c_str();
  int fd = ::open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  return fd >= 0 ? fd : -errno;
}

int open_append(const void* context) {
  const char* path = static_cast<const std::string*>(context)->c_str();
  // O_NONBLOCK: opening a FIFO for writing would otherwise wait for a reader.
  int fd = ::open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return -errno;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return -EINVAL;
  }
  ::fcntl(fd, F_SETFL, O_APPEND);  // a regular file: back to blocking writes
  return fd;
}

}  // namespace

int make_directory_as(const std::optional<InvokingUser>& user, const std::string& path) {
  return open_as_user(user, &make_directory, &path);
}
int create_file_as(const std::optional<InvokingUser>& user, const std::string& path) {
  return open_as_user(user, &create_file, &path);
}
int open_read_as(const std::optional<InvokingUser>& user, const std::string& path) {
  return open_as_user(user, &open_read, &path);
}
int open_append_as(const std::optional<InvokingUser>& user, const std::string& path) {
  return open_as_user(user, &open_append, &path);
}

}  // namespace proctrace
