// The process model every view reads: processes (a reused pid is a new
// process), their exec segments, parent/child links, process-group and
// session history, and how they ended. Built once from time-ordered events.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "model/argv.h"
#include "model/event.h"
#include "model/id_history.h"
#include "model/shared_text.h"

namespace proctrace {

using ProcessIndex = std::uint32_t;
inline constexpr ProcessIndex kNoProcess = ~ProcessIndex{0};

// One program image a process ran: from fork (inherited image) or exec to the
// next exec or the exit (Process::segment_end: where the next one starts).
// Every process has one or two (the stretch it inherited, its exec), so
// its size counts: 40 bytes, texts shared (a million-event recording has
// 600k of them).
struct ExecSegment {
  Nanos start = 0;
  Argv argv;  // an inherited segment shares its parent's
  SharedText filename;
  // The working directory at the exec, where the recorder wrote it (empty
  // otherwise); cwd_cut: its top was cut (deeper than the recorder walks).
  SharedText cwd;
  bool cwd_cut = false;
  bool truncated = false;
  // The stretch between fork and the first exec, running the parent's
  // program (a subshell, a worker); argv is the parent's.
  bool inherited = false;
};

// Fields are ordered so that none pads the next: a recording holds one
// Process per process it saw (300k in a million-event one).
struct Process {
  ProcessIndex index = 0;
  Pid pid = 0;
  Pid ppid = 0;
  ProcessIndex parent = kNoProcess;
  // Order of appearance, unique in the recording. Equals index unless the
  // tree recycles released slots (see ProcessTree::release).
  std::uint64_t serial = 0;
  std::vector<ProcessIndex> children;  // in fork order

  Nanos start = 0;           // fork, or first event seen
  std::optional<Nanos> end;  // exit
  ExitStatus exit;
  std::uint32_t failed_execs = 0;
  bool forked_in_recording = false;
  // Already running when the recording began (an Attached event): `start`
  // is when it was first seen, not when it started.
  bool attached = false;
  // It called setsid / setpgid during the recording (a job-control shell, a
  // daemon, setsid(1)): its signals and terminal now differ from its parent's.
  bool set_session = false;
  bool set_group = false;
  // How views and exports mark such a process.
  static constexpr std::string_view kAttachedLabel = "already running at attach";
  // From the Exit, when the recorder measured it; null otherwise (imports,
  // older recordings), which keeps their processes 16 bytes larger, not 224.
  std::shared_ptr<const ResourceUsage> usage;
  std::vector<ExecSegment> segments;

  IdHistory pgids;  // (since, pgid), first = inherited/at start
  IdHistory sids;
  std::vector<Pid> threads;  // tids other than pid (strace imports)

  bool exited() const { return end.has_value(); }
  Pid pgid() const { return pgids.empty() ? 0 : pgids.back().second; }
  Pid sid() const { return sids.empty() ? 0 : sids.back().second; }
  // The argv to name this process by: its last exec, else what it inherited.
  const Argv* command() const;
  bool execed() const;
  // Where segments[i] ends: the next one's start, or the exit; none while
  // it still runs (the recording stopped first).
  std::optional<Nanos> segment_end(std::size_t i) const {
    return i + 1 < segments.size() ? std::optional<Nanos>(segments[i + 1].start) : end;
  }
};

class ProcessTree {
 public:
  // Events must arrive in timestamp order (sort first); returns the index of
  // the process the event belongs to.
  ProcessIndex add(const Event& e);
  // Closes the model: processes without an Exit stay open-ended.
  void finish(Nanos end_of_recording);

  const std::deque<Process>& processes() const { return processes_; }
  const Process& operator[](ProcessIndex i) const { return processes_[i]; }
  std::size_t size() const { return processes_.size(); }
  // Processes whose parent is not in the recording, in order of appearance.
  const std::vector<ProcessIndex>& roots() const { return roots_; }
  // The process currently holding pid, if any (during building: the live one).
  std::optional<ProcessIndex> live(Pid pid) const;
  Nanos first_timestamp() const { return first_; }
  Nanos last_timestamp() const { return last_; }
  // Threads are not processes; strace imports report them for the tree views.
  void add_thread(Pid tgid, Pid tid);
  void add_process_thread(ProcessIndex p, Pid tid);

  // For streaming consumers of huge recordings: a process that is no longer
  // live (exited, or its pid was taken over) and fully reported gives its
  // slot back, and a later process reuses it. Memory then follows the
  // number of processes alive at once, not all processes ever seen. Its
  // children become orphans (parent = kNoProcess); indexes of
  // released processes must not be used again (serial stays unique).
  void release(ProcessIndex i);
  // Processes seen so far, released ones included.
  std::uint64_t processes_seen() const { return next_serial_; }

 private:
  ProcessIndex get_or_create(Pid pid, Nanos ts, Pid ppid_hint);
  ProcessIndex create(Pid pid, Nanos ts, ProcessIndex parent);
  void start_segment(Process& p, Nanos ts, const Event& e);
  void exec(ProcessIndex i, const Event& e);
  void exec_args(ProcessIndex i, const Event& e);

  // A deque: growing never copies (or doubles) what is already there.
  std::deque<Process> processes_;
  std::vector<ProcessIndex> roots_;
  std::vector<ProcessIndex> free_;  // released slots
  std::uint64_t next_serial_ = 0;
  std::unordered_map<Pid, ProcessIndex> live_;
  // Original proctrace files (its last format): the ExecFilename and ExecArgs
  // it wrote at an execve's entry, waiting for the Exec that says it
  // succeeded; a BadExec drops them.
  struct PendingExec {
    std::string filename;
    Event args;
    bool has_args = false;
  };
  std::unordered_map<Pid, PendingExec> pending_exec_;
  TextInterner texts_;  // segments' filenames and working directories
  Nanos first_ = 0;
  Nanos last_ = 0;
  bool any_ = false;
};

// "make -j2" style one-line command for labels and headers; argv joined with
// spaces, empty argv falls back to the filename.
std::string join_argv(const std::vector<std::string>& argv);
std::string join_argv(const Argv& argv);

}  // namespace proctrace
