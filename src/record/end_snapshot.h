// The recorder's side of `proctrace why`: when a recording ends with work
// still running (timeout, the root exited before its descendants, a signal
// to the recorder), write a /proc snapshot of the tree into the recording.
#pragma once

#include <string>
#include <vector>

#include "io/recording_writer.h"
#include "model/proc_snapshot.h"

namespace proctrace {

class EndSnapshots {
 public:
  // Reads the recorder's own stdio now, before anything is given up: the
  // command inherits it, so it is the job's stdout and stderr.
  EndSnapshots(RecordingWriter& writer, std::string recording_name);
  void set_root(Pid root) { root_ = root; }

  // Snapshots `pids` (the tracked tree), writes it, and says so on stderr;
  // `list` also prints the live processes there (SIGQUIT, timeout). A write
  // error is reported and the recording goes on.
  void take(const std::string& reason, const std::vector<Pid>& pids, bool list);
  std::size_t taken() const { return taken_; }

 private:
  RecordingWriter& writer_;
  std::string recording_name_;
  std::vector<SnapshotFd> job_stdio_;
  Pid root_ = 0;
  std::size_t taken_ = 0;
};

// The recorder needs no stdout when it writes its recording to a file:
// pointing fd 1 at /dev/null makes the job's stdout pipe close as soon as
// the command's own processes close it, never later because of us.
void give_up_stdout();

}  // namespace proctrace
