// Who may record with eBPF, and who the target should run as under sudo.
#pragma once

#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace proctrace {

// Why this process cannot load the recorder (no BTF, no CAP_BPF/CAP_PERFMON,
// not in the initial PID namespace), with how to fix it; nullopt when it
// looks possible. Loading can still be refused (lockdown, seccomp): callers
// handle that error too.
std::optional<std::string> bpf_recording_blocker();

// The message for a load refused with EPERM/EACCES.
std::string bpf_permission_help();

// The user who ran `sudo proctrace record`: the target runs as them and the
// recording belongs to them. nullopt when not running as root under sudo.
struct InvokingUser {
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // supplementary groups, looked up before fork
};
std::optional<InvokingUser> sudo_invoking_user();

}  // namespace proctrace
