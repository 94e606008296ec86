// Groups the threads strace attached to with their process (`strace -f -p
// PID` of a multi-threaded process), which the log shows as unrelated pids:
// no clone ties them together. Only ties the log proves are used (see
// docs/strace-import.md, "Threads that were running before the attach"):
// a wrong grouping is worse than none, so anything ambiguous is left apart.
#pragma once

#include <string>
#include <vector>

#include "import/log_parser.h"
#include "import/thread_clue.h"

namespace proctrace::strace {

struct ThreadGroup {
  Pid leader = 0;            // the process's pid
  std::vector<Pid> members;  // its other threads, ascending
  Nanos first_seen = 0;      // the first line of any of them
  // The leader's pid came from no clue (getpid, /proc, tgkill, the last
  // exit of an exit_group): the lowest tid was taken.
  bool leader_guessed = false;
  std::string evidence;  // "futex wake/wait, tgkill": the kinds of tie used
};

// facts and clues of the whole log (every chunk). exact_times: the stamps
// order calls to the microsecond (-tt/-ttt, not -t or -r, not untimed);
// the futex and exit_group ties need it. Groups are in leader order.
std::vector<ThreadGroup> infer_thread_groups(const std::vector<Fact> &facts, const std::vector<ThreadClue> &clues,
                                             bool exact_times);

// One line per group for Meta: "pid 12 with threads 13, 14 (futex wake/wait,
// tgkill)".
std::string describe_thread_groups(const std::vector<ThreadGroup> &groups);

}  // namespace proctrace::strace
