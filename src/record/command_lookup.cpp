#include "record/command_lookup.h"

#include <cerrno>
#include <climits>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace proctrace {

namespace {

// What execve(file) would say, as far as finding and permission go.
int check_file(const char* file) {
  struct stat st {};
  if (::stat(file, &st) != 0) return errno == EACCES ? EACCES : ENOENT;
  if (S_ISDIR(st.st_mode)) return EACCES;
  return ::access(file, X_OK) == 0 ? 0 : EACCES;
}

// 0 after copying `path` into `found` when there is room; ENAMETOOLONG when not.
int report_found(const char* path, char* found, std::size_t found_size) {
  if (!found) return 0;
  std::size_t length = std::strlen(path);
  if (length >= found_size) return ENAMETOOLONG;
  std::memcpy(found, path, length + 1);
  return 0;
}

}  // namespace

int find_executable(const char* name, const char* path_list, char* found, std::size_t found_size) {
  if (!*name) return ENOENT;
  if (std::strchr(name, '/')) {
    int error = check_file(name);
    return error ? error : report_found(name, found, found_size);
  }
  if (!path_list) path_list = "/bin:/usr/bin";  // glibc's execvp without PATH
  int result = ENOENT;
  std::size_t name_length = std::strlen(name);
  char candidate[PATH_MAX];
  for (const char* dir = path_list;;) {
    const char* end = ::strchrnul(dir, ':');
    std::size_t dir_length = static_cast<std::size_t>(end - dir);
    // An empty entry is the current directory, as for execvp.
    if (dir_length + 1 + name_length < sizeof candidate) {
      std::size_t at = 0;
      if (dir_length) {
        std::memcpy(candidate, dir, dir_length);
        candidate[dir_length] = '/';
        at = dir_length + 1;
      }
      std::memcpy(candidate + at, name, name_length + 1);
      int error = check_file(candidate);
      if (error == 0) return report_found(candidate, found, found_size);
      if (error == EACCES) result = EACCES;  // execvp too reports EACCES if any was found
    }
    if (!*end) return result;
    dir = end + 1;
  }
}

}  // namespace proctrace
