// Rebuilds lifecycle events (Fork, Exec, Exit, SetSID, SetPGID) from the
// facts the parser found, in time order, and feeds them to a ProcessTree:
// threads are told apart from processes (CLONE_THREAD), a reused pid starts a
// new process, a thread's execve continues its group leader's process.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "import/log_parser.h"
#include "model/process_tree.h"
#include "model/recording_info.h"

namespace proctrace::strace {

class LifecycleBuilder {
 public:
  // emit: each event as it is made, with its subject's index in tree.
  using Emit = std::function<void(const Event&, ProcessIndex)>;
  LifecycleBuilder(ProcessTree& tree, Emit emit) : tree_(tree), emit_(std::move(emit)) {}

  // Sorts the facts by (time, order) and adds them all. A fact about a tid
  // that a later Clone creates waits for that Clone (coarse -t timestamps,
  // -ff files merged without a common order).
  void run(std::vector<Fact>& facts);
  // One fact, already in order (live conversion).
  void add(const Fact& fact);
  // The process group and session of the first process, when the caller
  // knows them (a recorder starting the command); a log does not say.
  void set_first_groups(Pid pgid, Pid sid) {
    first_pgid_ = pgid;
    first_sid_ = sid;
  }

  // The process a thread belonged to at a time (for syscall records):
  // its index in the tree (kNoProcess if it has no event) and its pid.
  ProcessIndex process_of(Pid tid, Nanos time, Pid& tgid) const;

  // Counts per event kind, processes alive at the end, the root's status.
  Stats stats(Nanos end_timestamp) const;
  std::uint64_t events() const { return events_; }

 private:
  struct Proc {
    Pid pid = 0;
    Pid ppid = 0;
    Pid pgid = 0;
    std::optional<Pid> sid;
    ProcessIndex index = kNoProcess;
    bool alive = true;
    // The working directory, where the log told it (chdir, getcwd) and
    // since then; empty: unknown. Exec events carry it.
    std::string cwd;
    std::vector<Pid> threads;          // tids other than pid
    std::vector<Pid> unindexed_threads;  // waiting for the process's first event
  };
  struct Span {
    Nanos from = 0;
    std::uint32_t proc = 0;
  };

  void apply(const Fact& f);
  // The live process of tid; for a tid never seen, one already running when
  // the log began (an Attached event).
  std::uint32_t proc_of(Pid tid, Nanos time);
  // parent_tid: a thread of its parent, when the log names one (0: none).
  std::uint32_t attached_proc(Pid tid, Nanos time, Pid parent_tid = 0);
  std::uint32_t live_proc(Pid tid) const;      // ~0 when none
  std::uint32_t new_proc(Pid pid, Nanos time);
  void map_tid(Pid tid, std::uint32_t proc, Nanos time);
  void emit(Event& e, std::uint32_t subject);
  void set_index(std::uint32_t proc, ProcessIndex index);
  void fill_common(Event& e, const Proc& p) const;

  ProcessTree& tree_;
  Emit emit_;
  std::deque<Proc> procs_;
  std::unordered_map<Pid, std::uint32_t> tids_;  // tid -> its latest process (alive or not)
  std::unordered_map<Pid, std::vector<Span>> spans_;
  Nanos last_time_ = 0;
  Pid first_pgid_ = 0, first_sid_ = 0;
  std::uint64_t events_ = 0;
  std::map<std::string, std::uint64_t> counts_;
};

}  // namespace proctrace::strace
