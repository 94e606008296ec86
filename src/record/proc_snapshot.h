// Takes a ProcSnapshot (model/proc_snapshot.h) from /proc: what each live
// process of the recorded subtree is doing, and who else holds its pipes.
// /proc changes under us: a process that is gone, or a file that cannot be
// read, costs that detail and never the snapshot.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "model/proc_snapshot.h"

namespace proctrace {

// Bounds that keep a snapshot fast on a machine with a huge process table.
struct SnapshotLimits {
  std::size_t max_fds_per_process = 1024;     // listed per subtree process
  std::size_t max_processes_scanned = 65536;  // /proc entries looked at for outside holders
  std::size_t max_links_scanned = 1 << 20;    // fd links read for outside holders
};

// This process's fds 0-2, read before the recorder gives any of them up.
std::vector<SnapshotFd> read_own_stdio();

// subtree: the pids the recorder tracks (root included when alive). Pids
// that are gone by the time they are read are left out. `exclude` (the
// recorder itself) is never listed as an outside holder.
ProcSnapshot take_proc_snapshot(const std::vector<Pid>& subtree, Pid root, std::string reason,
                                std::vector<SnapshotFd> job_stdio, Pid exclude,
                                const SnapshotLimits& limits = {});

// One process, all fds. False when it is gone (or unreadable).
bool read_snapshot_process(Pid pid, SnapshotProcess& out, std::size_t max_fds);

}  // namespace proctrace
