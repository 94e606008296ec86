#include "record/event_drain.h"

#include <algorithm>
#include <cstring>

#include "record/bpf_event_decoder.h"

namespace proctrace {

void EventDrain::add(const void* data, std::size_t size) {
  Nanos timestamp = 0;
  if (size >= sizeof timestamp) std::memcpy(&timestamp, data, sizeof timestamp);  // pt_event starts with it
  std::size_t offset = arena_.size();
  arena_.resize(offset + ((size + 7) & ~std::size_t{7}));
  std::memcpy(arena_.data() + offset, data, size);
  pending_.push_back({timestamp, static_cast<std::uint32_t>(offset), static_cast<std::uint32_t>(size)});
}

void EventDrain::write_batch() {
  if (pending_.empty()) return;
  // Nearly sorted already: the ring keeps reservation order.
  std::stable_sort(pending_.begin(), pending_.end(),
                   [](const Pending& a, const Pending& b) { return a.timestamp < b.timestamp; });
  for (const Pending& p : pending_) {
    if (!decode_bpf_event(arena_.data() + p.offset, p.size, event_)) {
      ++malformed_;
      continue;
    }
    writer_.write_event(event_);
    ++counts_[static_cast<int>(event_.kind)];
    if (event_.truncated) ++truncated_argv_;
  }
  pending_.clear();
  arena_.clear();
  writer_.flush();
}

void EventDrain::fill_stats(Stats& stats) const {
  // Every kind a recorder writes is listed, zero or not.
  for (int kind = 0; kind < kEventKindCount; ++kind)
    if (counts_[kind] || kind <= static_cast<int>(EventKind::SetPgid)) stats.events[std::string(event_kind_name(static_cast<EventKind>(kind)))] = counts_[kind];
  stats.truncated_argv = truncated_argv_;
}

}  // namespace proctrace
