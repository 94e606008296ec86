// Converts strace output while it is being written (record --backend
// strace): bytes in, lifecycle events out in timestamp order, as soon as no
// call still open could come before them.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "import/lifecycle.h"
#include "import/log_parser.h"
#include "io/diagnostics.h"
#include "model/process_tree.h"

namespace proctrace::strace {

class StraceStream {
 public:
  using Emit = std::function<void(const Event&)>;
  // name: for messages ("strace output").
  StraceStream(Emit emit, std::string name, Diagnostics& diag);

  // The traced command's process group and session, if known.
  void set_first_groups(Pid pgid, Pid sid) { builder_.set_first_groups(pgid, sid); }
  // Any piece of the output; lines may be split anywhere.
  void feed(std::string_view bytes);
  // End of the output: the rest of the events.
  void finish();

  const ProcessTree& tree() const { return tree_; }
  Stats stats() const { return builder_.stats(parser_.max_time); }
  // The first pid in the output: the traced command (0 until seen).
  Pid first_pid() const { return first_pid_; }
  // Whether the traced command's process has exited.
  bool root_exited() const;
  std::uint64_t events() const { return builder_.events(); }

 private:
  void parse(std::string_view lines);
  void emit_ready(bool all);

  Interner names_, errnos_;
  LogParser parser_;
  ProcessTree tree_;
  LifecycleBuilder builder_;
  std::vector<Fact> pending_;
  std::string partial_;  // an unfinished last line
  std::size_t offset_ = 0;
  std::size_t diagnostics_seen_ = 0;
  Pid first_pid_ = 0;
  std::string name_;
  Diagnostics& diag_;
};

}  // namespace proctrace::strace
