// The processes `proctrace why` blames, for the views that mark them: the
// tree puts the role after the process, the HTML report flags its row.
// Only what the snapshot shows: a failure is already marked by its status.
#include <unordered_map>

#include "analyze/why.h"

namespace proctrace {

std::vector<Culprit> culprits(const WhyReport& report) {
  std::vector<Culprit> out;
  std::unordered_map<ProcessIndex, std::size_t> at;
  auto add = [&](const WhyProcess& p, const std::string& role) {
    if (p.index == kNoProcess) return;
    auto [it, added] = at.try_emplace(p.index, out.size());
    if (added) out.push_back({p.index, role});
    else out[it->second].role += "; " + role;
  };
  for (auto& h : report.held)
    for (auto& holder : h.holders)
      add(holder.process, "holds the job's " + h.stream + " (fd " + std::to_string(holder.fd) + ")");
  std::string when = report.snapshot_reason == "timeout"      ? "at the timeout, "
                     : report.snapshot_reason == "log-ended" ? "alive when the log ended, "
                                                             : "alive at the snapshot, ";
  for (auto& s : report.stuck) add(s.process, when + (s.edge ? s.edge->how : s.doing));
  return out;
}

std::vector<Culprit> snapshot_culprits(const Trace& trace) {
  if (trace.snapshots.empty()) return {};
  return culprits(explain(trace));
}

}  // namespace proctrace
