// The loaded and attached kernel side of the recorder (bpf/proctrace.bpf.c):
// the tracked-process map, the event ring buffer and the loss counters.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "bpf/proctrace_events.h"
#include "model/event.h"
#include "record/kernel_btf_cache.h"

struct proctrace_bpf;
struct ring_buffer;

namespace proctrace {

struct BpfLoadError : std::runtime_error {
  BpfLoadError(int error, const std::string& what) : std::runtime_error(what), errno_value(error) {}
  int errno_value;  // EPERM/EACCES: refused for lack of privileges
};

// Receives ring-buffer records; `data` is valid only during the call.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void add(const void* data, std::size_t size) = 0;
};

struct BpfSessionOptions {
  std::size_t argv_cap_bytes = PT_DEFAULT_ARGV_CAP;
  std::size_t ringbuf_bytes = PT_DEFAULT_RINGBUF_BYTES;  // a power of two, at least one page
  // The recorder's PID namespace (pid_namespace_inode()); 0 for the initial one.
  std::uint32_t pidns_inum = 0;
  // Where the small copy of the kernel's BTF is kept between runs
  // (kernel_btf_cache.h); empty: none, libbpf reads the kernel's whole BTF.
  std::string btf_cache_dir = kKernelBtfCacheDir;
};

// The nsfs inode of the recorder's PID namespace, 0 when it is the initial
// one (the host's). Throws BpfLoadError when it cannot be told: without it
// a recording inside a container would silently come out empty.
std::uint32_t pid_namespace_inode();

class BpfSession {
 public:
  // Loads and attaches everything; throws BpfLoadError.
  explicit BpfSession(const BpfSessionOptions& options);
  ~BpfSession();
  BpfSession(const BpfSession&) = delete;
  BpfSession& operator=(const BpfSession&) = delete;

  // How setpgid/setsid and failed execs are traced ("fexit" or
  // "raw_tp/sys_exit"), for Meta.
  const std::string& setpgid_probe() const { return setpgid_probe_; }
  // The recorder's PID namespace as loaded (0: the initial one).
  std::uint32_t pidns_inum() const { return pidns_inum_; }

  // Starts recording process `pid` (a thread-group id) and what it forks.
  // The first call also maps the ring buffer (see map_ring()); throws
  // BpfLoadError.
  void track(Pid pid);
  bool tracking_any() const;
  std::vector<Pid> tracked() const;

  // Readable when the kernel side forced a wakeup (the ring is filling up).
  int wakeup_fd();
  // Hands every pending record to sink; returns how many.
  std::size_t consume(RecordSink& sink);

  // Stops new events; pending ones stay readable with consume().
  void detach();
  // Events or parts of events the kernel side could not record, per cause.
  std::map<std::string, std::uint64_t> losses() const;
  std::uint64_t losses_total() const;

 private:
  // Maps the ring into this process, once. Not at load: a target forked
  // with the ring (16 MiB of address space, populated) mapped copies its
  // page tables and its exec tears them down again, ~0.5 ms of start-up.
  // Events wait in the kernel's ring until then.
  void map_ring();

  struct proctrace_bpf* skel_ = nullptr;
  struct ring_buffer* ring_ = nullptr;
  RecordSink* sink_ = nullptr;
  std::string setpgid_probe_;
  std::uint32_t pidns_inum_ = 0;
};

}  // namespace proctrace
