#include "record/bpf_session.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cerrno>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <deque>
#include <mutex>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bpf/proctrace_events.h"
#include "proctrace.skel.h"
#include "record/fexit_probe.h"

namespace proctrace {

namespace {

// libbpf talks a lot while probing (the refused fexit load prints a whole
// verifier log): keep it at debug level, and keep the last lines to explain
// a load that fails for good.
struct RecentLines {
  std::mutex mutex;  // the fexit probe logs from its own thread
  std::deque<std::string> lines;
};
RecentLines& libbpf_recent() {
  static RecentLines recent;
  return recent;
}

int log_libbpf(enum libbpf_print_level level, const char* format, va_list args) {
  if (level == LIBBPF_DEBUG && !spdlog::should_log(spdlog::level::debug)) return 0;  // ~1000 lines per load
  char text[1024];
  int n = std::vsnprintf(text, sizeof text, format, args);
  if (n <= 0) return n;
  std::string line(text);
  while (!line.empty() && line.back() == '\n') line.pop_back();
  spdlog::debug("{}", line);
  if (level != LIBBPF_DEBUG) {
    auto& recent = libbpf_recent();
    std::lock_guard lock(recent.mutex);
    recent.lines.push_back(std::move(line));
    if (recent.lines.size() > 8) recent.lines.pop_front();
  }
  return n;
}

std::string recent_libbpf_lines() {
  auto& recent = libbpf_recent();
  std::lock_guard lock(recent.mutex);
  std::string out;
  for (auto& line : recent.lines) out += "\n  " + line;
  return out;
}

constexpr const char* kLossNames[PT_LOSS_COUNT] = {"ringbuf_full", "argv_read", "filename_read",
                                                  "tracked_map_full"};

int on_record(void* ctx, void* data, std::size_t size) {
  (*static_cast<RecordSink**>(ctx))->add(data, size);
  return 0;
}

// Whether the running kernel is Linux 6.1 or later, where hash-map
// elements allocated at run time come from bpf_mem_alloc, a per-CPU cache
// safe in tracepoint programs. Earlier kernels warn in their log (and RT
// ones refuse) when a tracing program uses such a map.
bool run_time_allocation_is_safe() {
  utsname names{};
  if (uname(&names) != 0) return false;
  unsigned major = 0, minor = 0;
  if (std::sscanf(names.release, "%u.%u", &major, &minor) != 2) return false;
  return major > 6 || (major == 6 && minor >= 1);
}

void configure(struct proctrace_bpf* skel, const BpfSessionOptions& options, bool use_fexit) {
  bpf_program__set_autoload(skel->progs.pt_setsid_fexit, use_fexit);
  bpf_program__set_autoload(skel->progs.pt_setpgid_fexit, use_fexit);
  bpf_program__set_autoload(skel->progs.pt_execve_fexit, use_fexit);
  bpf_program__set_autoload(skel->progs.pt_execveat_fexit, use_fexit);
  bpf_program__set_autoload(skel->progs.pt_sys_exit, !use_fexit);

  skel->rodata->argv_cap = static_cast<__u32>(options.argv_cap_bytes);
  // Wake user space early once a quarter of the ring is pending: it drains
  // on a short timer, so reaching this means a burst.
  skel->rodata->wakeup_threshold = options.ringbuf_bytes / 4;
  skel->rodata->nr_setpgid = SYS_setpgid;
  skel->rodata->nr_setsid = SYS_setsid;
  skel->rodata->nr_execve = SYS_execve;
  skel->rodata->nr_execveat = SYS_execveat;
  skel->rodata->pidns_inum = options.pidns_inum;

  // Preallocating the 32768 entries of `tracked` made creating it take
  // 0.8-1.0 ms at every start; allocated on use, ~0.4 ms (the bucket
  // array). A full map still fails the update (E2BIG or ENOMEM), which
  // pt_fork counts as tracked_map_full.
  if (run_time_allocation_is_safe())
    bpf_map__set_map_flags(skel->maps.tracked, bpf_map__map_flags(skel->maps.tracked) | BPF_F_NO_PREALLOC);

  bpf_map__set_max_entries(skel->maps.events, static_cast<__u32>(options.ringbuf_bytes));
  bpf_map__set_value_size(skel->maps.scratch,
                          static_cast<__u32>(sizeof(pt_event) + options.argv_cap_bytes + PT_FILENAME_MAX +
                                            sizeof(pt_exec_ctx) + PT_CWD_MAX + PT_FDS_BYTES_MAX));
  bpf_map__set_max_entries(skel->maps.scratch, static_cast<__u32>(libbpf_num_possible_cpus()));
}

// Opens and loads the object with setpgid/setsid traced by fexit or by
// raw_tp/sys_exit, relocated against `kernel_btf` (nullptr: the kernel's
// own); nullptr with err set when the kernel refuses.
struct proctrace_bpf* open_and_load(const BpfSessionOptions& options, bool use_fexit, const char* kernel_btf,
                                    int& err) {
  LIBBPF_OPTS(bpf_object_open_opts, open_options, .btf_custom_path = kernel_btf);
  struct proctrace_bpf* skel = proctrace_bpf__open_opts(&open_options);
  if (!skel) {
    err = errno;
    return nullptr;
  }
  configure(skel, options, use_fexit);
  if (int load_err = proctrace_bpf__load(skel)) {
    err = load_err < 0 ? -load_err : errno;
    proctrace_bpf__destroy(skel);
    return nullptr;
  }
  return skel;
}

// As above, with the cached copy of the kernel's BTF when there is one; a
// copy that does not work is removed and the kernel's own BTF used.
struct proctrace_bpf* open_and_load(const BpfSessionOptions& options, bool use_fexit, KernelBtfCache& cache,
                                    int& err) {
  if (const char* copy = cache.path()) {
    if (struct proctrace_bpf* skel = open_and_load(options, use_fexit, copy, err)) return skel;
    spdlog::debug("loading with the cached kernel BTF failed ({}); discarding it", std::strerror(err));
    cache.discard();
  }
  return open_and_load(options, use_fexit, nullptr, err);
}

// PROC_PID_INIT_INO of include/linux/proc_ns.h: fixed for the initial namespace.
constexpr std::uint32_t kInitialPidNamespaceInode = 0xEFFFFFFCu;

}  // namespace

std::uint32_t pid_namespace_inode() {
  // /proc/self is this process whichever namespace mounted /proc: the link
  // resolves through its own pid, in /proc's namespace.
  struct stat st {};
  if (::stat("/proc/self/ns/pid", &st) != 0) {
    int error = errno;
    throw BpfLoadError(error, std::string("cannot tell which PID namespace the recorder runs in "
                                          "(/proc/self/ns/pid: ") + std::strerror(error) +
                                  "); is /proc mounted?");
  }
  return st.st_ino == kInitialPidNamespaceInode ? 0 : static_cast<std::uint32_t>(st.st_ino);
}

BpfSession::BpfSession(const BpfSessionOptions& options) : pidns_inum_(options.pidns_inum) {
  libbpf_set_print(log_libbpf);
  // fexit runs on the two syscalls only, raw_tp/sys_exit after every syscall
  // on the machine: prefer fexit. The probe runs alongside loading the
  // fallback, which kernels that refuse fexit (ours) end up using.
  FexitProbe fexit;
  auto started = std::chrono::steady_clock::now();
  std::size_t object_size = 0;
  const void* object = proctrace_bpf__elf_bytes(&object_size);
  KernelBtfCache kernel_btf(options.btf_cache_dir, object, object_size);
  int err = 0;
  skel_ = open_and_load(options, false, kernel_btf, err);
  if (!skel_)
    throw BpfLoadError(err, std::string("cannot load the eBPF recorder: ") + std::strerror(err) +
                                recent_libbpf_lines());
  setpgid_probe_ = "raw_tp/sys_exit";
  if (fexit.allowed()) {
    if (struct proctrace_bpf* with_fexit = open_and_load(options, true, kernel_btf, err)) {
      proctrace_bpf__destroy(skel_);
      skel_ = with_fexit;
      setpgid_probe_ = "fexit";
    } else {
      spdlog::debug("fexit probe passed but loading with it failed ({}); using raw_tp/sys_exit", std::strerror(err));
    }
  }
  kernel_btf.store_if_missing(bpf_object__btf(skel_->obj));
  if (int attach_err = proctrace_bpf__attach(skel_)) {
    int error = attach_err < 0 ? -attach_err : errno;
    proctrace_bpf__destroy(skel_);
    throw BpfLoadError(error, std::string("cannot attach the eBPF recorder: ") + std::strerror(error) +
                                  recent_libbpf_lines());
  }
  spdlog::debug("eBPF recorder loaded and attached in {:.1f} ms, setpgid/setsid and failed execs through {}",
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count(),
                setpgid_probe_);
}

void BpfSession::map_ring() {
  if (ring_) return;
  ring_ = ring_buffer__new(bpf_map__fd(skel_->maps.events), on_record, &sink_, nullptr);
  if (!ring_) {
    int error = errno;
    throw BpfLoadError(error, std::string("cannot map the eBPF ring buffer: ") + std::strerror(error));
  }
}

BpfSession::~BpfSession() {
  ring_buffer__free(ring_);
  proctrace_bpf__destroy(skel_);
}

void BpfSession::track(Pid pid) {
  map_ring();
  __u32 key = static_cast<__u32>(pid);
  __u8 one = 1;
  if (bpf_map_update_elem(bpf_map__fd(skel_->maps.tracked), &key, &one, BPF_ANY) != 0)
    throw BpfLoadError(errno, std::string("cannot track the target process: ") + std::strerror(errno));
}

bool BpfSession::tracking_any() const {
  __u32 key = 0;
  return bpf_map_get_next_key(bpf_map__fd(skel_->maps.tracked), nullptr, &key) == 0;
}

std::vector<Pid> BpfSession::tracked() const {
  std::vector<Pid> pids;
  int fd = bpf_map__fd(skel_->maps.tracked);
  __u32 key = 0;
  const __u32* previous = nullptr;
  while (bpf_map_get_next_key(fd, previous, &key) == 0) {
    pids.push_back(static_cast<Pid>(key));
    previous = &key;
  }
  return pids;
}

int BpfSession::wakeup_fd() {
  map_ring();
  return ring_buffer__epoll_fd(ring_);
}

std::size_t BpfSession::consume(RecordSink& sink) {
  map_ring();
  sink_ = &sink;
  int n = ring_buffer__consume(ring_);
  sink_ = nullptr;
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}

void BpfSession::detach() { proctrace_bpf__detach(skel_); }

std::uint64_t BpfSession::losses_total() const {
  std::uint64_t n = 0;
  for (auto& [_, count] : losses()) n += count;
  return n;
}

std::map<std::string, std::uint64_t> BpfSession::losses() const {
  std::map<std::string, std::uint64_t> out;
  int cpus = libbpf_num_possible_cpus();
  std::vector<__u64> per_cpu(cpus > 0 ? cpus : 1);
  int fd = bpf_map__fd(skel_->maps.losses);
  for (__u32 cause = 0; cause < PT_LOSS_COUNT; ++cause) {
    std::uint64_t total = 0;
    if (bpf_map_lookup_elem(fd, &cause, per_cpu.data()) == 0)
      for (__u64 n : per_cpu) total += n;
    out[kLossNames[cause]] = total;
  }
  return out;
}

}  // namespace proctrace
