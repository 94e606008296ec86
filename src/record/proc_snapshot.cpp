#include "record/proc_snapshot.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <unordered_set>

#include "record/clock.h"
#include "record/proc_files.h"
#include "record/syscall_names.h"

namespace proctrace {

namespace {

constexpr std::size_t kMaxCmdlineBytes = 32 * 1024;
constexpr std::size_t kMaxPathArgBytes = 4096;

// A directory fd closed on every path out.
class DirFd {
 public:
  explicit DirFd(const char* path) : fd_(::open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {}
  ~DirFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  DirFd(const DirFd&) = delete;
  DirFd& operator=(const DirFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string read_link_at(int dir, const char* name) {
  char buf[4096];
  ssize_t n = ::readlinkat(dir, name, buf, sizeof buf);
  if (n <= 0) return {};
  return std::string(buf, static_cast<std::size_t>(n));
}

// "pipe:[4411]" -> 4411
bool bracketed_inode(std::string_view target, std::string_view prefix, std::uint64_t& inode) {
  if (target.size() < prefix.size() + 3 || target.substr(0, prefix.size()) != prefix) return false;
  std::string_view rest = target.substr(prefix.size());
  if (rest.front() != '[' || rest.back() != ']') return false;
  return parse_number(rest.substr(1, rest.size() - 2), inode);
}

bool is_tty_path(std::string_view t) {
  return t.substr(0, 9) == "/dev/pts/" || t.substr(0, 8) == "/dev/tty" || t == "/dev/console";
}

// /proc/PID/fdinfo/N "flags:" is octal; its O_ACCMODE bits say which end.
char access_of(int pid_dir, const std::string& fd_name) {
  std::string info = read_proc_at(pid_dir, ("fdinfo/" + fd_name).c_str(), 1024);
  std::size_t at = info.find("flags:");
  if (at == std::string::npos) return '?';
  std::size_t start = info.find_first_not_of(" \t", at + 6);
  std::size_t end = info.find('\n', start);
  unsigned flags = 0;
  if (start == std::string::npos || !parse_number(std::string_view(info).substr(start, end - start), flags, 8))
    return '?';
  switch (flags & O_ACCMODE) {
    case O_RDONLY: return 'r';
    case O_WRONLY: return 'w';
    case O_RDWR: return 'u';
  }
  return '?';
}

// Classifies one fd from its link text; stats paths so that a fifo is known
// by its inode. fd_dir: the /proc/PID/fd directory.
SnapshotFd describe_fd(int pid_dir, int fd_dir, const std::string& name, std::string target) {
  SnapshotFd f;
  parse_number(std::string_view(name), f.fd);
  if (bracketed_inode(target, "pipe:", f.inode)) {
    f.kind = FdKind::Pipe;
  } else if (bracketed_inode(target, "socket:", f.inode)) {
    f.kind = FdKind::Socket;
  } else if (target.rfind("anon_inode:", 0) == 0) {
    f.kind = FdKind::Anon;
  } else if (is_tty_path(target)) {
    f.kind = FdKind::Tty;
  } else if (!target.empty() && target.front() == '/') {
    struct stat st;
    f.kind = FdKind::File;
    if (::fstatat(fd_dir, name.c_str(), &st, 0) == 0) {
      if (S_ISFIFO(st.st_mode)) {
        f.kind = FdKind::Fifo;
        f.inode = st.st_ino;
        f.dev = st.st_dev;
      } else if (S_ISCHR(st.st_mode) && major(st.st_rdev) >= 136 && major(st.st_rdev) <= 143) {
        f.kind = FdKind::Tty;  // a pty reached by another name
      }
    }
  }
  if (f.kind == FdKind::Pipe || f.kind == FdKind::Fifo) f.access = access_of(pid_dir, name);
  f.target = std::move(target);
  return f;
}

bool parse_stat(const std::string& stat, SnapshotProcess& p) {
  ProcStat st;
  if (!parse_proc_stat(stat, st)) return false;
  p.comm = std::move(st.comm);
  p.state = st.state;
  p.ppid = st.ppid;
  p.pgid = st.pgid;
  p.sid = st.sid;
  static const long hz = sysconf(_SC_CLK_TCK);
  // Since Linux 5.5 starttime counts boot time, the recording clock.
  p.start_timestamp = st.start_ticks * (1'000'000'000u / static_cast<std::uint64_t>(hz > 0 ? hz : 100));
  return true;
}

// The path argument of an open, read from the sleeping process's memory.
std::string read_path_arg(int pid_dir, std::uint64_t address) {
  if (address == 0) return {};
  int fd = ::openat(pid_dir, "mem", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  char buf[kMaxPathArgBytes];
  ssize_t n = ::pread(fd, buf, sizeof buf, static_cast<off_t>(address));
  ::close(fd);
  if (n <= 0) return {};
  const void* nul = std::memchr(buf, '\0', static_cast<std::size_t>(n));
  if (!nul) return {};  // longer than PATH_MAX or not a string
  return std::string(buf, static_cast<std::size_t>(static_cast<const char*>(nul) - buf));
}

// /proc/PID/syscall: "running", or "NR ARG1..ARG6 SP PC" (NR decimal, the
// rest hex), or "-1 SP PC" when asleep outside a syscall.
std::optional<BlockedSyscall> parse_syscall(int pid_dir, const std::string& text) {
  auto words = split_spaces(text);
  if (words.empty() || words[0] == "running") return std::nullopt;
  BlockedSyscall s;
  if (!parse_number(words[0], s.nr)) return std::nullopt;
  if (s.nr >= 0 && words.size() >= 7) {
    for (std::size_t i = 1; i <= 6; ++i) {
      std::uint64_t v = 0;
      parse_number(words[i], v, 16);
      s.args.push_back(v);
    }
    s.name = std::string(blocking_syscall_name(s.nr));
    int path_arg = syscall_path_arg(s.nr);
    if (path_arg >= 0) s.path = read_path_arg(pid_dir, s.args[static_cast<std::size_t>(path_arg)]);
  }
  return s;
}

// The process's details without fds; false when it is gone.
bool read_process_head(Pid pid, int pid_dir, SnapshotProcess& p) {
  p = SnapshotProcess{};
  p.pid = pid;
  if (!parse_stat(read_proc_at(pid_dir, "stat", 4096), p)) return false;
  p.cmdline = split_cmdline(read_proc_at(pid_dir, "cmdline", kMaxCmdlineBytes));
  if (p.state != 'R') p.syscall = parse_syscall(pid_dir, read_proc_at(pid_dir, "syscall", 512));
  p.wchan = read_proc_at(pid_dir, "wchan", 256);
  if (p.wchan == "0") p.wchan.clear();
  return true;
}

template <typename Visit>
void for_each_fd_entry(int fd_dir, Visit&& visit) {
  int dup_fd = ::dup(fd_dir);  // fdopendir takes the fd over
  if (dup_fd < 0) return;
  DIR* dir = ::fdopendir(dup_fd);
  if (!dir) {
    ::close(dup_fd);
    return;
  }
  while (dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
    if (!visit(std::string(entry->d_name))) break;
  }
  ::closedir(dir);
}

std::string pid_path(Pid pid) { return "/proc/" + std::to_string(pid); }

}  // namespace

std::vector<SnapshotFd> read_own_stdio() {
  std::vector<SnapshotFd> out;
  DirFd self("/proc/self");
  DirFd fds("/proc/self/fd");
  if (self.get() < 0 || fds.get() < 0) return out;
  for (int fd = 0; fd <= 2; ++fd) {
    std::string name = std::to_string(fd);
    std::string target = read_link_at(fds.get(), name.c_str());
    if (target.empty()) continue;  // closed
    out.push_back(describe_fd(self.get(), fds.get(), name, std::move(target)));
  }
  return out;
}

bool read_snapshot_process(Pid pid, SnapshotProcess& out, std::size_t max_fds) {
  std::string base = pid_path(pid);
  DirFd dir(base.c_str());
  if (dir.get() < 0 || !read_process_head(pid, dir.get(), out)) return false;
  DirFd fd_dir((base + "/fd").c_str());
  if (fd_dir.get() < 0) return true;  // a zombie has no fds
  for_each_fd_entry(fd_dir.get(), [&](const std::string& name) {
    if (out.fds.size() >= max_fds) {
      out.fds_truncated = true;
      return false;
    }
    std::string target = read_link_at(fd_dir.get(), name.c_str());
    if (!target.empty()) out.fds.push_back(describe_fd(dir.get(), fd_dir.get(), name, std::move(target)));
    return true;
  });
  std::sort(out.fds.begin(), out.fds.end(), [](const SnapshotFd& a, const SnapshotFd& b) { return a.fd < b.fd; });
  return true;
}

ProcSnapshot take_proc_snapshot(const std::vector<Pid>& subtree, Pid root, std::string reason,
                                std::vector<SnapshotFd> job_stdio, Pid exclude, const SnapshotLimits& limits) {
  Nanos began = clock_now_ns(CLOCK_BOOTTIME);
  ProcSnapshot snap;
  snap.timestamp = began;
  snap.reason = std::move(reason);
  snap.root = root;
  snap.job_stdio = std::move(job_stdio);

  std::vector<Pid> pids = subtree;
  std::sort(pids.begin(), pids.end());
  pids.erase(std::unique(pids.begin(), pids.end()), pids.end());
  std::unordered_set<Pid> in_subtree(pids.begin(), pids.end());
  for (Pid pid : pids) {
    SnapshotProcess p;
    if (read_snapshot_process(pid, p, limits.max_fds_per_process)) {
      snap.truncated |= p.fds_truncated;
      snap.processes.push_back(std::move(p));
    }
  }

  // The channels the subtree (or the job's stdio) uses; every other process
  // holding one of them is listed too.
  std::unordered_set<std::uint64_t> pipes, sockets;
  std::unordered_set<std::string> fifo_paths;
  auto note = [&](const SnapshotFd& f) {
    if (f.kind == FdKind::Pipe) pipes.insert(f.inode);
    if (f.kind == FdKind::Socket) sockets.insert(f.inode);
    if (f.kind == FdKind::Fifo) fifo_paths.insert(f.target);
  };
  for (auto& p : snap.processes)
    for (auto& f : p.fds) note(f);
  for (auto& f : snap.job_stdio) note(f);
  if (pipes.empty() && sockets.empty() && fifo_paths.empty()) {
    snap.duration_ns = clock_now_ns(CLOCK_BOOTTIME) - began;
    return snap;
  }

  DirFd proc("/proc");
  std::size_t links = 0;
  auto owns_channel = [&](const std::string& target) {
    std::uint64_t inode = 0;
    if (bracketed_inode(target, "pipe:", inode)) return pipes.count(inode) > 0;
    if (bracketed_inode(target, "socket:", inode)) return sockets.count(inode) > 0;
    return fifo_paths.count(target) > 0;
  };
  for_each_fd_entry(proc.get(), [&](const std::string& name) {
    Pid pid = 0;
    if (!parse_number(std::string_view(name), pid) || in_subtree.count(pid) || pid == exclude) return true;
    if (snap.processes_scanned >= limits.max_processes_scanned || links >= limits.max_links_scanned) {
      snap.truncated = true;
      return false;
    }
    ++snap.processes_scanned;
    std::string base = pid_path(pid);
    DirFd dir(base.c_str());
    DirFd fd_dir((base + "/fd").c_str());
    if (dir.get() < 0 || fd_dir.get() < 0) return true;
    std::vector<SnapshotFd> shared;
    for_each_fd_entry(fd_dir.get(), [&](const std::string& fd_name) {
      if (++links > limits.max_links_scanned) return false;
      std::string target = read_link_at(fd_dir.get(), fd_name.c_str());
      if (!target.empty() && owns_channel(target)) {
        SnapshotFd f = describe_fd(dir.get(), fd_dir.get(), fd_name, std::move(target));
        // A path equal to a fifo's may be another file of that name now.
        if (f.kind != FdKind::File) shared.push_back(std::move(f));
      }
      return true;
    });
    if (shared.empty()) return true;
    SnapshotProcess p;
    if (!read_process_head(pid, dir.get(), p)) return true;
    p.in_subtree = false;
    std::sort(shared.begin(), shared.end(), [](const SnapshotFd& a, const SnapshotFd& b) { return a.fd < b.fd; });
    p.fds = std::move(shared);
    snap.processes.push_back(std::move(p));
    return true;
  });
  snap.duration_ns = clock_now_ns(CLOCK_BOOTTIME) - began;
  return snap;
}

}  // namespace proctrace
