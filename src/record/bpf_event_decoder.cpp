#include "record/bpf_event_decoder.h"

#include <cstring>
#include <string_view>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "bpf/proctrace_events.h"

namespace proctrace {

namespace {

// argv as the kernel lays it out: each argument NUL-terminated; a truncated
// argv ends inside its last argument, which is kept as far as it goes.
void split_argv(std::string_view bytes, std::vector<std::string>& argv) {
  std::size_t n = 0;
  while (!bytes.empty()) {
    std::size_t nul = bytes.find('\0');
    std::string_view arg = bytes.substr(0, nul);
    if (n < argv.size())
      argv[n].assign(arg);
    else
      argv.emplace_back(arg);
    ++n;
    if (nul == std::string_view::npos) break;
    bytes.remove_prefix(nul + 1);
  }
  argv.resize(n);
}

// getrusage()'s split of the run time by the sampled user/system ratio
// (cputime_adjust() in the kernel), so the two agree.
void decode_usage(const pt_usage& raw, ResourceUsage& out) {
  static const std::uint64_t page_kb = static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE)) / 1024;
  std::uint64_t system = 0;
  std::uint64_t sampled = raw.utime_ns + raw.stime_ns;
  if (sampled != 0 && raw.utime_ns != 0)
    system = static_cast<std::uint64_t>(static_cast<unsigned __int128>(raw.cpu_ns) * raw.stime_ns / sampled);
  else if (raw.utime_ns == 0 && raw.stime_ns != 0)
    system = raw.cpu_ns;
  out.cpu_user_ns = raw.cpu_ns - system;
  out.cpu_system_ns = system;
  out.max_rss_kb = raw.maxrss_pages * page_kb;
  out.voluntary_switches = raw.nvcsw;
  out.involuntary_switches = raw.nivcsw;
  out.minor_faults = raw.min_flt;
  out.major_faults = raw.maj_flt;
  if (raw.flags & PT_USAGE_SYSCALL_IO) {
    out.read_chars = raw.rchar;
    out.write_chars = raw.wchar;
    out.read_syscalls = raw.syscr;
    out.write_syscalls = raw.syscw;
  }
  if (raw.flags & PT_USAGE_STORAGE_IO) {
    out.storage_read_bytes = raw.read_bytes;
    out.storage_write_bytes = raw.write_bytes;
    out.cancelled_write_bytes = raw.cancelled_write_bytes;
  }
}

// The ids and cwd after an Exec's filename (absent from older objects'
// records). The cwd comes as components from the innermost out.
// A path the BPF side walked up: its components from the innermost out,
// each NUL-terminated ("b\0a\0" for /a/b; nothing for /).
void append_walked_path(std::string_view parts, std::string& out) {
  std::size_t begin = out.size();
  while (!parts.empty()) {
    if (parts.back() == '\0') parts.remove_suffix(1);
    std::size_t nul = parts.rfind('\0');
    std::string_view name = nul == std::string_view::npos ? parts : parts.substr(nul + 1);
    out += '/';
    out += name;
    parts = nul == std::string_view::npos ? std::string_view() : parts.substr(0, nul + 1);
  }
  if (out.size() == begin) out += '/';
}

// The kernel's dev_t (major << 20 | minor) as stat() reports it, so that a
// fifo's identity matches the one a /proc snapshot gives.
std::uint64_t user_dev(std::uint32_t kdev) {
  std::uint32_t major = kdev >> 20, minor = kdev & 0xfffff;
  return makedev(major, minor);
}

std::string bracketed(std::string_view what, std::uint64_t inode) {
  return std::string(what) + ":[" + std::to_string(inode) + "]";
}

// The descriptor table after the cwd; the Exec is kept without it when the
// bytes do not add up.
void decode_exec_fds(const char* at, std::size_t left, Event& out) {
  pt_exec_fds h;
  if (left < sizeof h) return;
  std::memcpy(&h, at, sizeof h);
  at += sizeof h;
  left -= sizeof h;
  if (h.count > PT_FDS_MAX || std::size_t{h.count} * sizeof(pt_fd) > left) return;
  std::size_t table = std::size_t{h.count} * sizeof(pt_fd);
  if (h.paths_len > left - table) return;
  std::string_view paths(at + table, h.paths_len);
  out.fds.clear();
  out.fds.reserve(h.count);
  for (std::uint32_t i = 0; i < h.count; ++i) {
    pt_fd raw;
    std::memcpy(&raw, at + i * sizeof raw, sizeof raw);
    OpenFd& f = out.fds.emplace_back();
    f.fd = static_cast<int>(raw.fd);
    bool r = raw.flags & PT_FD_READ, w = raw.flags & PT_FD_WRITE;
    f.access = r && w ? 'u' : r ? 'r' : w ? 'w' : '?';
    if (raw.flags & PT_FD_HAS_PATH) {
      if (raw.path_len > paths.size()) return;  // leaves what was decoded, has_fds false
      if (raw.flags & PT_FD_PATH_CUT) f.target = "…";
      append_walked_path(paths.substr(0, raw.path_len), f.target);
      paths.remove_prefix(raw.path_len);
    }
    switch (raw.kind) {
      case PT_FD_PIPE:
        f.kind = FdKind::Pipe;
        f.inode = raw.inode;
        f.target = bracketed("pipe", raw.inode);
        break;
      case PT_FD_SOCKET:
        f.kind = FdKind::Socket;
        f.inode = raw.inode;
        f.target = bracketed("socket", raw.inode);
        break;
      case PT_FD_FIFO:
        f.kind = FdKind::Fifo;
        f.inode = raw.inode;
        f.dev = user_dev(raw.dev);
        break;
      case PT_FD_TTY: f.kind = FdKind::Tty; break;
      case PT_FD_FILE: f.kind = FdKind::File; break;
      case PT_FD_ANON:
        f.kind = FdKind::Anon;
        f.target = "anon_inode";
        break;
      default: f.kind = FdKind::Other; break;
    }
  }
  out.has_fds = true;
  out.fds_cut = h.cut;
}

void decode_exec_ctx(const char* at, std::size_t left, Event& out) {
  pt_exec_ctx ctx;
  if (left < sizeof ctx) return;
  std::memcpy(&ctx, at, sizeof ctx);
  if (ctx.cwd_len > left - sizeof ctx) return;
  out.ids = Event::Ids{ctx.uid, ctx.euid, ctx.gid, ctx.egid};
  out.cwd.clear();
  append_walked_path(std::string_view(at + sizeof ctx, ctx.cwd_len), out.cwd);
  out.cwd_cut = (ctx.flags & PT_CWD_CUT) != 0;
  decode_exec_fds(at + sizeof ctx + ctx.cwd_len, left - sizeof ctx - ctx.cwd_len, out);
}

}  // namespace

bool decode_bpf_event(const void* data, std::size_t size, Event& out) {
  pt_event raw;
  if (size < sizeof raw) return false;
  std::memcpy(&raw, data, sizeof raw);

  out.timestamp = raw.timestamp;
  out.seq.reset();
  out.pid = raw.pid;
  out.child_pid = 0;
  out.ppid = raw.ppid;
  out.pgid = raw.pgid;
  out.sid = raw.sid;
  out.has_cmdline = out.args_joined = out.truncated = false;
  out.filename.clear();
  out.exit = ExitStatus{};
  out.usage = ResourceUsage{};
  out.exec_errno = 0;
  out.ids.reset();
  out.cwd.clear();
  out.cwd_cut = false;
  out.fds.clear();
  out.has_fds = false;
  out.fds_cut = 0;
  if (raw.host_pid)
    out.host_pid = raw.host_pid;
  else
    out.host_pid.reset();

  switch (raw.kind) {
    case PT_FORK:
      out.kind = EventKind::Fork;
      out.child_pid = raw.child_pid;
      out.ppid = 0;  // Fork has no ppid field: the parent is `pid`
      break;
    case PT_EXEC: {
      if (sizeof raw + std::size_t{raw.argv_len} + raw.filename_len > size) return false;
      const char* bytes = static_cast<const char*>(data) + sizeof raw;
      out.kind = EventKind::Exec;
      out.has_cmdline = true;
      split_argv(std::string_view(bytes, raw.argv_len), out.cmdline);
      out.filename.assign(bytes + raw.argv_len, raw.filename_len);
      out.truncated = (raw.flags & (PT_EXEC_TRUNCATED | PT_EXEC_ARGV_FAILED)) != 0;
      decode_exec_ctx(bytes + raw.argv_len + raw.filename_len,
                      size - sizeof raw - raw.argv_len - raw.filename_len, out);
      return true;
    }
    case PT_EXIT:
      out.kind = EventKind::Exit;
      out.exit = ExitStatus::from_wait_status(raw.wait_status);
      if (size >= sizeof raw + sizeof(pt_usage)) {
        pt_usage usage;
        std::memcpy(&usage, static_cast<const char*>(data) + sizeof raw, sizeof usage);
        decode_usage(usage, out.usage);
      }
      break;
    case PT_BADEXEC:
      if (sizeof raw + std::size_t{raw.filename_len} > size) return false;
      out.kind = EventKind::BadExec;
      out.filename.assign(static_cast<const char*>(data) + sizeof raw, raw.filename_len);
      out.exec_errno = raw.wait_status;
      break;
    case PT_SETSID:
      out.kind = EventKind::SetSid;
      break;
    case PT_SETPGID:
      out.kind = EventKind::SetPgid;
      break;
    default:
      return false;
  }
  out.cmdline.clear();
  return true;
}

}  // namespace proctrace
