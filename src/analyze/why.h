// `proctrace why`: why a recorded job failed or hung, in a few lines, most
// important first. Works on the events (failures) and on the recorder's
// /proc snapshot (survivors, who holds the job's pipes, what each stuck
// process waits on). Strace logs loaded with LoadOptions::log_end_snapshot
// get one from the state at their end (import/log_end_snapshot.h).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "io/output_file.h"
#include "load/trace.h"
#include "model/proc_snapshot.h"

namespace proctrace {

// A process as the report names it.
struct WhyProcess {
  Pid pid = 0;
  std::string command;   // argv joined, or comm
  bool in_subtree = true;
  std::optional<double> started_s;  // seconds after the recording started
  std::string parent_command;       // whom it inherited its fds from (its parent)
  Pid parent_pid = 0;
  // The process in Trace::tree (a snapshot's pid resolved at the snapshot's
  // time); kNoProcess when the recording has no such process.
  ProcessIndex index = kNoProcess;
};

// One process holding an end of the job's stdout/stderr after the command.
struct StdioHolder {
  WhyProcess process;
  int fd = 0;
};
struct HeldStream {
  std::string stream;  // "stdout", "stderr", "stdin"
  std::string target;  // "pipe:[4411]"
  std::vector<StdioHolder> holders;
};

// What one live process at the snapshot waits for.
struct WaitEdge {
  std::string how;                 // "blocks reading pipe:[4411]"
  std::vector<Pid> waits_for;      // the processes that could release it
  std::string holders_text;        // ", whose write end only pid 88 (`sleep 9`) holds"
};
struct StuckProcess {
  WhyProcess process;
  char state = '?';
  std::string doing;  // "S in read(3)"
  std::optional<WaitEdge> edge;
};

struct Failure {
  WhyProcess process;
  ExitStatus status;
  bool failed_exec = false;  // never ran its program (BadExec, or 127 without an exec)
  std::vector<std::pair<WhyProcess, ExitStatus>> ancestors;  // parent first, up to the root
};

struct WhyReport {
  // "hang", "timeout", "interrupted", "left-running", "failure", "ok", "running"
  std::string verdict;
  std::vector<std::string> headline;  // the answer, a few lines
  std::optional<double> command_seconds;  // the root's run time
  std::optional<ExitStatus> root_status;
  std::string snapshot_reason;
  std::vector<HeldStream> held;
  std::vector<StuckProcess> stuck;
  std::vector<std::string> chains;  // wait-for chains, text
  bool deadlock = false;
  std::optional<Failure> failure;
  // The build-analysis view fills this ("slow": the critical path).
  std::vector<std::string> slow;
};

WhyReport explain(const Trace& trace);
void view_why(const Trace& trace, bool json, OutputFile& out);

// A process the report blames, for the views that mark it (tree, HTML).
struct Culprit {
  ProcessIndex process = kNoProcess;
  std::string role;  // "holds the job's stdout (fd 1)", "blocks reading pipe:[4411] (fd 3)"
};
// Holders of the job's stdout/stderr, then the processes alive at the
// snapshot with what each waits on; one entry per process (roles joined).
std::vector<Culprit> culprits(const WhyReport& report);
// The same from a trace: empty, and cheap, when it has no snapshot.
std::vector<Culprit> snapshot_culprits(const Trace& trace);

// Parts of explain(), for tests.
std::vector<StuckProcess> stuck_processes(const ProcSnapshot& snapshot,
                                          const std::function<WhyProcess(const SnapshotProcess&)>& name);
std::vector<std::string> wait_chains(const std::vector<StuckProcess>& stuck, bool& deadlock);

}  // namespace proctrace
