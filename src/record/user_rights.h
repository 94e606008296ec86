// Acting for the user who ran `sudo proctrace record`: who they are (from
// SUDO_UID/SUDO_GID, checked against the user database), the environment the
// command gets, and becoming them in a forked child. Root opens nothing on
// the user's behalf: files are opened in a child that already is the user.
#pragma once

#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace proctrace {

struct InvokingUser {
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // supplementary groups, looked up before any fork
  std::string name;           // from the passwd entry of uid
  std::string home;
};

// nullopt user and no error: not root, or not under sudo (no SUDO_UID, or
// SUDO_UID=0). An error: SUDO_UID/SUDO_GID are not plain numbers, or name no
// existing user or group; recording must not start.
struct InvokingUserLookup {
  std::optional<InvokingUser> user;
  std::string error;
};
[[nodiscard]] InvokingUserLookup sudo_invoking_user();

// Takes the user's groups, gid and uid, in that order (after setuid nothing
// else could be changed). Async-signal-safe: for children between fork and
// exec. Returns 0 or the errno of the step that failed, named in *step.
[[nodiscard]] int become_user(const InvokingUser& user, const char** step);

// This process's environment with HOME, USER and LOGNAME of `user`, as
// `sudo -u user` gives them: the command must not find root's home.
std::vector<std::string> user_environment(const InvokingUser& user);
// The same as a NULL-terminated array of pointers into `env`, for execve.
std::vector<char*> environment_pointers(std::vector<std::string>& env);

// Runs `open_file` in a child that has become `user` and returns the
// descriptor it opened (passed back over a socketpair), or -errno.
// Without a user, runs it here. `open_file` returns a descriptor or -errno.
[[nodiscard]] int open_as_user(const std::optional<InvokingUser>& user, int (*open_file)(const void* context),
                 const void* context);

}  // namespace proctrace
