#include "record/user_rights.h"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace proctrace {

namespace {

// An environment value for an error message: printable, and short.
std::string shown(const char* value) {
  std::string out;
  for (const char* p = value; *p && out.size() < 40; ++p) {
    unsigned char c = static_cast<unsigned char>(*p);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    }
  }
  return "'" + out + "'";
}

// A uid or gid written as sudo writes it: decimal digits only, and not
// (uid_t)-1, which setuid() takes as "leave unchanged".
std::optional<std::uint32_t> parse_id(const char* text) {
  if (!*text || std::strlen(text) > 10) return std::nullopt;
  std::uint64_t value = 0;
  for (const char* p = text; *p; ++p) {
    if (*p < '0' || *p > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(*p - '0');
  }
  if (value >= UINT32_MAX) return std::nullopt;
  return static_cast<std::uint32_t>(value);
}

std::vector<gid_t> group_list(const char* name, gid_t gid) {
  std::vector<gid_t> groups;
  int count = 16;
  for (;;) {
    groups.resize(count);
    int n = count;
    if (getgrouplist(name, gid, groups.data(), &n) >= 0) {
      groups.resize(n);
      return groups;
    }
    count = n > count ? n : count * 2;
  }
}

bool send_result(int socket, int fd, int error) {
  msghdr msg{};
  iovec iov{&error, sizeof error};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  if (fd >= 0) {
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(cmsg), &fd, sizeof fd);
  }
  return ::sendmsg(socket, &msg, MSG_NOSIGNAL) == static_cast<ssize_t>(sizeof error);
}

// The descriptor the child sent, or -errno.
int receive_result(int socket) {
  int error = 0;
  msghdr msg{};
  iovec iov{&error, sizeof error};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  do n = ::recvmsg(socket, &msg, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n != static_cast<ssize_t>(sizeof error)) return -EIO;
  for (cmsghdr* cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
    if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS) {
      int fd = -1;
      std::memcpy(&fd, CMSG_DATA(cmsg), sizeof fd);
      return fd;
    }
  }
  return error ? -error : -EIO;
}

}  // namespace

InvokingUserLookup sudo_invoking_user() {
  InvokingUserLookup result;
  if (geteuid() != 0) return result;
  const char* uid_text = std::getenv("SUDO_UID");
  const char* gid_text = std::getenv("SUDO_GID");
  if (!uid_text) return result;
  auto uid = parse_id(uid_text);
  if (!uid) {
    result.error = "SUDO_UID=" + shown(uid_text) + " is not a user id: refusing to guess who ran sudo";
    return result;
  }
  if (*uid == 0) return result;  // root ran sudo: nothing to give up
  if (!gid_text) {
    result.error = "SUDO_UID is set but SUDO_GID is not: refusing to guess the group of who ran sudo";
    return result;
  }
  auto gid = parse_id(gid_text);
  if (!gid) {
    result.error = "SUDO_GID=" + shown(gid_text) + " is not a group id: refusing to guess who ran sudo";
    return result;
  }
  const passwd* pw = getpwuid(*uid);
  if (!pw) {
    result.error = "SUDO_UID=" + std::to_string(*uid) + " names no user in the user database";
    return result;
  }
  InvokingUser user;
  user.uid = *uid;
  user.gid = *gid;
  user.name = pw->pw_name;
  user.home = pw->pw_dir;
  if (!getgrgid(*gid)) {
    result.error = "SUDO_GID=" + std::to_string(*gid) + " names no group in the group database";
    return result;
  }
  user.groups = group_list(user.name.c_str(), user.gid);
  result.user = std::move(user);
  return result;
}

int become_user(const InvokingUser& user, const char** step) {
  *step = "setgroups";
  if (setgroups(user.groups.size(), user.groups.data()) != 0) return errno;
  *step = "setgid";
  if (setgid(user.gid) != 0) return errno;
  *step = "setuid";
  if (setuid(user.uid) != 0) return errno;
  return 0;
}

std::vector<std::string> user_environment(const InvokingUser& user) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string entry = *e;
    for (const char* name : {"HOME=", "USER=", "LOGNAME="})
      if (entry.rfind(name, 0) == 0) entry.clear();
    if (!entry.empty()) env.push_back(std::move(entry));
  }
  env.push_back("HOME=" + user.home);
  env.push_back("USER=" + user.name);
  env.push_back("LOGNAME=" + user.name);
  return env;
}

std::vector<char*> environment_pointers(std::vector<std::string>& env) {
  std::vector<char*> pointers;
  for (auto& e : env) pointers.push_back(e.data());
  pointers.push_back(nullptr);
  return pointers;
}

int open_as_user(const std::optional<InvokingUser>& user, int (*open_file)(const void* context),
                 const void* context) {
  if (!user) return open_file(context);
  int sockets[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0) return -errno;
  pid_t child = ::fork();
  if (child < 0) {
    int e = errno;
    ::close(sockets[0]);
    ::close(sockets[1]);
    return -e;
  }
  if (child == 0) {
    ::close(sockets[0]);
    const char* step = nullptr;
    int error = become_user(*user, &step);
    int fd = error ? -error : open_file(context);
    send_result(sockets[1], fd, fd < 0 ? -fd : 0);
    ::_exit(0);
  }
  ::close(sockets[1]);
  int fd = receive_result(sockets[0]);
  ::close(sockets[0]);
  int status;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  return fd;
}

}  // namespace proctrace
