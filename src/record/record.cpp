#include "record/record.h"

#include <cmath>

#include <spdlog/spdlog.h>

#include "io/diagnostics.h"
#include "record/bpf_backend.h"
#include "record/running_subtree.h"

namespace proctrace {

namespace {

constexpr std::size_t kMinArgvCap = 64;
constexpr double kMaxWaitDescendantsSeconds = 7 * 24 * 3600;
constexpr std::size_t kMaxArgvCap = 2 << 20;  // execve() allows 2 MiB of argv+envp with the default stack limit

std::optional<std::string> invalid_options(const RecordOptions& o) {
  if (o.attach_pid < 0) return "--attach needs a process id (a positive number)";
  if (o.attach_pid && !o.command.empty())
    return "give either --attach PID or a command to run, not both";
  if (!o.attach_pid && o.command.empty())
    return "no command to record: proctrace record [OPTIONS] -- COMMAND [ARGS...], or --attach PID";
  if (o.attach_pid && o.backend == RecordBackend::Strace)
    return "--attach needs the eBPF backend (strace -p follows a running process: import its log instead)";
  if (o.attach_pid && o.timeout_seconds > 0) return "--timeout is for a command proctrace runs, not for --attach";
  // inf, nan or a value past what a clock deadline holds would each end as
  // no wait at all: only a finite number of seconds has a meaning.
  double wait = o.wait_descendants_seconds;
  if (!std::isfinite(wait) || wait < 0 || wait > kMaxWaitDescendantsSeconds)
    return "--wait-descendants must be a number of seconds from 0 to " +
           std::to_string(static_cast<long>(kMaxWaitDescendantsSeconds)) + " (7 days)";
  if (o.all_syscalls && o.backend == RecordBackend::Bpf)
    return "--all keeps strace's log of every syscall: it needs --backend strace";
  if (o.all_syscalls && o.attach_pid) return "--all is for a command proctrace runs under strace, not for --attach";
  if (o.all_syscalls && o.output == "-")
    return "--all keeps strace's log next to the recording: give the recording a file (-o FILE), not stdout";
  if (o.timeout_seconds > 0 && o.backend == RecordBackend::Strace)
    return "--timeout needs the eBPF backend (the strace backend has no snapshot of the tree yet)";
  if (o.argv_cap_bytes < kMinArgvCap || o.argv_cap_bytes > kMaxArgvCap)
    return "--argv-cap must be between " + std::to_string(kMinArgvCap) + " and " + std::to_string(kMaxArgvCap) +
           " bytes";
  std::size_t ring = o.ringbuf_bytes;
  if (ring < 4096 || (ring & (ring - 1)) != 0 || ring > (std::size_t{1} << 31))
    return "--ringbuf-size must be a power of two between 4 KiB and 2 GiB (e.g. 8M)";
  // An exec record holds up to argv-cap + a path; a few must fit at once.
  if (ring < 4 * (o.argv_cap_bytes + 8192))
    return "--ringbuf-size must be at least 4 times --argv-cap plus 32 KiB, or large exec records are lost";
  return std::nullopt;
}

}  // namespace

int record(const RecordOptions& options) {
  if (auto problem = invalid_options(options)) {
    spdlog::error("{}", *problem);
    return kExitUsage;
  }
  // Under sudo the command and every file proctrace writes belong to the
  // user who ran it; who that is must be beyond doubt.
  InvokingUserLookup invoking = sudo_invoking_user();
  if (!invoking.error.empty()) {
    spdlog::error("{}", invoking.error);
    return kExitUsage;
  }
  const std::optional<InvokingUser>& user = invoking.user;
  // Recording another user's argv and children is for root itself, not for
  // whoever may sudo proctrace; checked before any file is made.
  if (options.attach_pid && user && !owned_by(options.attach_pid, user->uid)) {
    spdlog::error("--attach {}: not a process of yours (under sudo only your own processes are recorded)",
                  options.attach_pid);
    return kExitUsage;
  }
  // Every syscall is strace's to see: --all chooses it.
  if (options.all_syscalls) return record_with_strace(options, user);
  switch (options.backend) {
    case RecordBackend::Strace:
      return record_with_strace(options, user);
    case RecordBackend::Bpf:
      return record_with_bpf(options, user);
    case RecordBackend::Auto:
      break;
  }
  BpfLoadResult loaded = load_bpf_recorder(options);
  if (!loaded.session && options.attach_pid) {
    spdlog::error("{}", loaded.problem);
    return loaded.exit_code;
  }
  if (!loaded.session) {
    spdlog::warn("recording with strace instead of eBPF: {}", loaded.problem);
    if (options.timeout_seconds > 0) spdlog::warn("--timeout is not supported by the strace backend; ignored");
    return record_with_strace(options, user);
  }
  return run_bpf_recording(options, *loaded.session, user);
}

}  // namespace proctrace
