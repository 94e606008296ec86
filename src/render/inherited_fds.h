// The descriptors each exec inherited (eBPF recorder: Exec "fds"), as one
// line of text per exec, for the HTML report's "inherited fds" toggle.
// The loaded model keeps no fd tables: they would grow it for the sake of
// one view. They are read back from the recording's exec lines instead,
// and only when the recording has any.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "load/trace.h"
#include "model/open_fd.h"

namespace proctrace {

// "0 r /dev/null · 1 w pipe:[4411] · 3 u socket:[88]", then "· 40 more not
// recorded" when the recorder cut the table. Paths are made visible
// (control characters escaped), so the line reads the same everywhere.
std::string fd_list_text(const std::vector<OpenFd>& fds, std::uint32_t cut);

class InheritedFds {
 public:
  explicit InheritedFds(const Trace& trace);
  bool empty() const { return execs_.empty(); }
  // The fd line of the exec of process p at time start; "" when its
  // fds were not recorded.
  std::string text(ProcessIndex p, Nanos start) const;

 private:
  // (process, exec time, the Exec line), sorted for binary search.
  std::vector<std::tuple<ProcessIndex, Nanos, std::string_view>> execs_;
};

}  // namespace proctrace
