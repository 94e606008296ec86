// Who may record with eBPF, and why not.
#pragma once

#include <optional>
#include <string>

namespace proctrace {

// Why this process cannot load the recorder (no BTF, no CAP_BPF/CAP_PERFMON),
// with how to fix it; nullopt when it
// looks possible. Loading can still be refused (lockdown, seccomp): callers
// handle that error too.
std::optional<std::string> bpf_recording_blocker();

// The message for a load refused with EPERM/EACCES.
std::string bpf_permission_help();

}  // namespace proctrace
