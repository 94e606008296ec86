// Which processes' threads the strace importer grouped by inference: `strace
// -f -p` of a multi-threaded process shows no clone tying its threads to it
// (docs/strace-import.md). The importer lists those processes' pids in Meta
// (so a recording written from the log keeps them); views and exports mark
// them with kThreadsInferredLabel.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/process_tree.h"
#include "model/recording_info.h"

namespace proctrace {

// Meta.extra key: the pids, space-separated ("26718 26730").
inline constexpr std::string_view kThreadGroupsKey = "strace_thread_groups";
inline constexpr std::string_view kThreadsInferredLabel = "threads grouped by inference";

// The Meta value for these pids.
std::string thread_groups_value(const std::vector<Pid>& pids);

// The processes of a trace whose threads were grouped by inference. Only
// processes already running at the attach (Process::attached) can be.
class InferredThreadGroups {
 public:
  explicit InferredThreadGroups(const Meta& meta);
  bool has(const Process& p) const;
  // " (threads grouped by inference)" for such a process, else "".
  std::string label(const Process& p) const;

 private:
  std::vector<Pid> pids_;  // sorted
};

}  // namespace proctrace
