#include "model/working_count.h"

namespace proctrace {

void WorkingCount::started(std::uint64_t serial, std::uint64_t parent) {
  auto [it, added] = live_.try_emplace(serial, Live{parent});
  if (!added) return;  // reported twice: count it once
  ++working_;
  auto p = live_.find(parent);
  if (p != live_.end() && p->second.live_children++ == 0) --working_;
}

void WorkingCount::ended(std::uint64_t serial) {
  auto it = live_.find(serial);
  if (it == live_.end()) return;
  if (it->second.live_children == 0) --working_;
  auto p = live_.find(it->second.parent);
  if (p != live_.end() && --p->second.live_children == 0) ++working_;
  live_.erase(it);
}

}  // namespace proctrace
