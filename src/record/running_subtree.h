// What `record --attach PID` starts from: the process and every descendant it
// has now, read from /proc. Later forks are the kernel side's to report.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "model/event.h"

namespace proctrace {

struct RunningProcess {
  Pid pid = 0;
  Pid ppid = 0;
  Pid pgid = 0;
  Pid sid = 0;
  uid_t uid = 0;                  // real uid: whose process it is
  bool uid_known = false;
  std::vector<std::string> argv;  // empty for a kernel thread or a zombie
};

// `root` and its descendants, each after its parent; empty when root is
// gone. /proc changes under us: a process that ends meanwhile is left out.
// At most max_processes are returned (a fork bomb cannot make it unbounded).
std::vector<RunningProcess> scan_running_subtree(Pid root, std::size_t max_processes = 32768);

// Whether `pid` exists and its real uid is `uid` (/proc/PID/status).
bool owned_by(Pid pid, uid_t uid);

}  // namespace proctrace
