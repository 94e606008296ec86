#include "record/running_subtree.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <deque>
#include <unordered_map>

#include "record/proc_files.h"

namespace proctrace {

namespace {

bool parse_stat(const std::string& stat, RunningProcess& p) {
  ProcStat st;
  if (!parse_proc_stat(stat, st)) return false;
  p.ppid = st.ppid;
  p.pgid = st.pgid;
  p.sid = st.sid;
  return true;
}

// The real uid from status's "Uid:\t<real>\t<effective>...".
bool parse_real_uid(const std::string& status, uid_t& uid) {
  std::size_t at = status.find("\nUid:");
  if (at == std::string::npos) return false;
  const char* start = status.c_str() + at + 5;
  char* end = nullptr;
  unsigned long v = std::strtoul(start, &end, 10);
  if (end == start) return false;
  uid = static_cast<uid_t>(v);
  return true;
}

bool read_process(Pid pid, RunningProcess& p) {
  std::string path = "/proc/" + std::to_string(pid);
  int dir = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return false;
  bool ok = parse_stat(read_proc_at(dir, "stat", 4096), p);
  if (ok) {
    p.pid = pid;
    p.uid_known = parse_real_uid(read_proc_at(dir, "status", 16384), p.uid);
    p.argv = split_cmdline(read_proc_at(dir, "cmdline", 256 * 1024));
  }
  ::close(dir);
  return ok;
}

}  // namespace

bool owned_by(Pid pid, uid_t uid) {
  RunningProcess p;
  return pid > 0 && read_process(pid, p) && p.uid_known && p.uid == uid;
}

std::vector<RunningProcess> scan_running_subtree(Pid root, std::size_t max_processes) {
  std::vector<RunningProcess> out;
  RunningProcess first;
  if (root <= 0 || !read_process(root, first)) return out;

  // Every process's children, from one pass over /proc: cheap even with
  // thousands of processes (stat only; cmdline is read for the subtree).
  std::unordered_map<Pid, std::vector<Pid>> children;
  if (DIR* proc = ::opendir("/proc")) {
    while (dirent* entry = ::readdir(proc)) {
      char* end = nullptr;
      long pid = std::strtol(entry->d_name, &end, 10);
      if (*end || pid <= 0 || pid == root) continue;
      std::string dir = std::string("/proc/") + entry->d_name;
      int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (fd < 0) continue;
      RunningProcess p;
      if (parse_stat(read_proc_at(fd, "stat", 4096), p)) children[p.ppid].push_back(static_cast<Pid>(pid));
      ::close(fd);
    }
    ::closedir(proc);
  }

  out.push_back(std::move(first));
  std::deque<Pid> queue{root};
  while (!queue.empty() && out.size() < max_processes) {
    Pid parent = queue.front();
    queue.pop_front();
    auto it = children.find(parent);
    if (it == children.end()) continue;
    for (Pid child : it->second) {
      if (out.size() >= max_processes) break;
      RunningProcess p;
      if (!read_process(child, p) || p.ppid != parent) continue;  // gone, or its pid reused meanwhile
      out.push_back(std::move(p));
      queue.push_back(child);
    }
  }
  return out;
}

}  // namespace proctrace
