#include "model/thread_grouping.h"

#include <algorithm>
#include <charconv>

namespace proctrace {

std::string thread_groups_value(const std::vector<Pid>& pids) {
  std::string out;
  for (Pid p : pids) out += (out.empty() ? "" : " ") + std::to_string(p);
  return out;
}

InferredThreadGroups::InferredThreadGroups(const Meta& meta) {
  auto it = meta.extra.find(std::string(kThreadGroupsKey));
  if (it == meta.extra.end()) return;
  // From a recording this is outside input: numbers that do not parse are skipped.
  const std::string& text = it->second;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t end = text.find(' ', pos);
    if (end == std::string::npos) end = text.size();
    Pid pid = 0;
    auto r = std::from_chars(text.data() + pos, text.data() + end, pid);
    if (r.ec == std::errc() && r.ptr == text.data() + end && pid > 0) pids_.push_back(pid);
    pos = end + 1;
  }
  std::sort(pids_.begin(), pids_.end());
}

bool InferredThreadGroups::has(const Process& p) const {
  return p.attached && std::binary_search(pids_.begin(), pids_.end(), p.pid);
}

std::string InferredThreadGroups::label(const Process& p) const {
  return has(p) ? " (" + std::string(kThreadsInferredLabel) + ")" : std::string();
}

}  // namespace proctrace
