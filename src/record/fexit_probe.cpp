#include "record/fexit_probe.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace proctrace {

namespace {

// The answer cannot change until a reboot: remember it in /run (a tmpfs,
// emptied at boot, writable by root only) as "<boot id> <release> <0|1>".
constexpr const char* kCacheDir = "/run/proctrace";
constexpr const char* kCacheFile = "/run/proctrace/fexit-probe";

std::string current_boot() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  in >> id;
  utsname names{};
  uname(&names);
  return id.empty() ? std::string() : id + " " + names.release;
}

std::optional<bool> cached_answer(const std::string& boot) {
  std::ifstream in(kCacheFile);
  std::string line;
  if (boot.empty() || !std::getline(in, line) || line.size() != boot.size() + 2 || line.rfind(boot + " ", 0) != 0)
    return std::nullopt;
  if (line.back() == '1') return true;
  if (line.back() == '0') return false;
  return std::nullopt;
}

void remember(const std::string& boot, bool allowed) {
  if (boot.empty() || geteuid() != 0) return;
  mkdir(kCacheDir, 0755);
  std::string temp = std::string(kCacheFile) + "." + std::to_string(getpid());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) return;
  std::string line = boot + (allowed ? " 1\n" : " 0\n");
  bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ::close(fd);
  if (!ok || ::rename(temp.c_str(), kCacheFile) != 0) ::unlink(temp.c_str());
}

// Loads and attaches a do-nothing fexit program on ksys_setsid.
bool try_fexit() {
  struct btf* vmlinux = btf__load_vmlinux_btf();
  if (!vmlinux) return false;
  int target = btf__find_by_name_kind(vmlinux, "ksys_setsid", BTF_KIND_FUNC);
  btf__free(vmlinux);
  if (target <= 0) return false;

  const bpf_insn return_zero[] = {
      {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0},  // r0 = 0
      {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},                   // exit
  };
  LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FEXIT,
              .attach_btf_id = static_cast<__u32>(target));
  int prog = bpf_prog_load(BPF_PROG_TYPE_TRACING, "pt_fexit_probe", "GPL", return_zero, 2, &opts);
  if (prog < 0) {
    spdlog::debug("fexit refused: {}", std::strerror(errno));
    return false;
  }
  int link = bpf_link_create(prog, 0, BPF_TRACE_FEXIT, nullptr);
  if (link < 0) spdlog::debug("fexit attach refused: {}", std::strerror(errno));
  if (link >= 0) ::close(link);
  ::close(prog);
  return link >= 0;
}

}  // namespace

FexitProbe::FexitProbe() : boot_(current_boot()), answer_(cached_answer(boot_)) {
  if (!answer_) probing_ = std::async(std::launch::async, try_fexit);
}

bool FexitProbe::allowed() {
  if (!answer_) {
    answer_ = probing_.get();
    remember(boot_, *answer_);
  }
  return *answer_;
}

}  // namespace proctrace
