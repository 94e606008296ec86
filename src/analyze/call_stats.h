// Per-process syscall figures for summary, list-pids and pid, gathered in one
// parallel pass over the syscall table.
//
// Rows are processes (thread groups) of the process model, so a reused pid
// is two rows and a thread's calls count for its process. Calls are counted
// as strace -c counts them: calls that returned (exit/exit_group and calls a
// process died in are left out), errors = those that set errno.
//
// Times, per row:
//   active  sum of durations (-T) of calls that are not waits (wait_calls.h)
//   wait    sum of durations of waiting calls
//   total   summed lifetime of the process's threads: the main thread from
//           fork (or first sight) to exit (or the end of the trace), other
//           threads from their first call to the end of their last. For a
//           single-threaded process this is its wall-clock lifetime; threads
//           run in parallel, so a process with threads can have more total
//           than wall-clock time. active + wait <= total, since one thread
//           is in one call at a time.
//   user    total - active - wait: time outside syscalls (running in user
//           space or waiting for a CPU).
#pragma once

#include <cstdint>
#include <vector>

#include "analyze/selection.h"
#include "import/syscall_table.h"
#include "load/trace.h"

namespace proctrace {

struct CallStats {
  std::uint64_t calls = 0;   // calls that returned
  std::uint64_t errors = 0;  // of those, calls that set errno
  std::uint64_t timed = 0;   // calls with a duration (-T)
  Nanos total = 0;           // sum of durations
  Nanos max = 0;
  Nanos min = kUnknownNanos;  // kUnknownNanos while no timed call

  void add(const SyscallRecord& r) {
    if (!r.returned()) return;
    ++calls;
    errors += r.failed();
    if (!r.has_duration()) return;
    ++timed;
    total += r.duration;
    if (r.duration > max) max = r.duration;
    if (r.duration < min) min = r.duration;
  }
  void merge(const CallStats& o);
  Nanos average() const { return timed ? total / timed : 0; }
};

struct SyscallFigures {
  SyscallId name = 0;
  CallStats stats;
  // (errno, count), most frequent first.
  std::vector<std::pair<ErrnoId, std::uint64_t>> errnos;
};

struct ProcessRow {
  ProcessIndex process = kNoProcess;  // kNoProcess: a task seen only in calls
  Pid pid = 0;
  std::uint64_t syscalls = 0;  // calls that returned
  std::uint64_t untimed = 0;   // of those, calls without a duration
  Nanos active = 0;
  Nanos wait = 0;
  Nanos total = 0;
  Nanos first_call = kUnknownNanos;  // start of its first call
  Nanos last_call = 0;               // end of its last call
  std::vector<Pid> tids;             // threads that made calls, ascending
  std::vector<SyscallFigures> calls; // by total time, then count (when asked for)

  Nanos user() const { return total > active + wait ? total - active - wait : 0; }
};

struct CallStatsOptions {
  bool per_syscall = true;  // fill ProcessRow::calls
};

struct TraceCallStats {
  // The session: first event or call to the last event or end of a call.
  Nanos first = 0, last = 0;
  bool have_calls = false;      // the trace has a syscall table (strace log)
  bool have_durations = false;  // some call has a duration (-T)
  std::vector<ProcessRow> rows; // selected processes in tree order, then tasks without a process
  Nanos active = 0, wait = 0, total = 0;
  std::uint64_t syscalls = 0;
};

TraceCallStats compute_call_stats(const Trace& trace, const Selection& selection, const CallStatsOptions& options);

// strace-parser's orders of processes (summary and list-pids -s): the most
// first by active_time (its default), children, syscalls, total_time,
// user_time or wait_time; pid ascending. Stable: ties keep tree order.
const std::vector<std::string>& process_sort_keys();
void sort_process_rows(const Trace& trace, std::vector<const ProcessRow*>& rows, const std::string& key);
std::size_t children_of(const Trace& trace, const ProcessRow& row);
// How the row's process ended, as the views print it ("exit 1", "SIGKILL").
std::string row_outcome(const Trace& trace, const ProcessRow& row);

// When a process's main thread lived: fork (or first sight) to exit, or to
// trace_end (TraceCallStats::last) when it never exited.
std::pair<Nanos, Nanos> process_lifetime(const Process& p, Nanos trace_end);

}  // namespace proctrace
