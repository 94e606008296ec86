#include "record/privileges.h"

#include <cerrno>
#include <fstream>
#include <linux/capability.h>
#include <sstream>
#include <sys/syscall.h>
#include <unistd.h>

namespace proctrace {

namespace {

constexpr const char* kSetcapFix =
    "run it as root (sudo proctrace record ...), or grant the binary the capabilities once: "
    "sudo setcap cap_bpf,cap_perfmon+ep \"$(command -v proctrace)\"";

bool has_effective_capability(int cap) {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  if (syscall(SYS_capget, &header, data) != 0) return false;
  return (data[cap / 32].effective >> (cap % 32)) & 1u;
}

// Kernels older than 5.8 know neither capability; they may still be missing
// from linux/capability.h on old build hosts.
constexpr int kCapPerfmon = 38;
constexpr int kCapBpf = 39;

}  // namespace

std::optional<std::string> bpf_recording_blocker() {
  if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
    return std::string(
        "this kernel exposes no BTF type information (/sys/kernel/btf/vmlinux is missing), which the eBPF "
        "recorder needs: use a kernel built with CONFIG_DEBUG_INFO_BTF=y (5.8 or newer; most distributions "
        "ship one), or record with --backend strace");
  bool privileged = has_effective_capability(CAP_SYS_ADMIN) ||
                    (has_effective_capability(kCapBpf) && has_effective_capability(kCapPerfmon));
  if (!privileged)
    return std::string("loading the eBPF recorder needs root or the capabilities CAP_BPF and CAP_PERFMON, "
                       "which this process lacks: ") +
           kSetcapFix + "; or record without privileges with --backend strace";
  return std::nullopt;
}

std::string bpf_permission_help() {
  return std::string("the kernel refused to load the eBPF recorder (permission denied): ") + kSetcapFix +
         "; if that is already the case, kernel lockdown or a seccomp policy forbids bpf(): record with "
         "--backend strace";
}

}  // namespace proctrace
