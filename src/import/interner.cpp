#include "import/interner.h"

#include <cstring>

namespace proctrace {

Interner::Interner() {
  strings_.emplace_back();
  ids_.emplace(std::string_view(strings_.back()), InternId{0});
}

InternId Interner::intern(std::string_view s) {
  std::lock_guard lock(mutex_);
  if (auto it = ids_.find(s); it != ids_.end()) return it->second;
  if (strings_.size() > 0xffff) return 0;
  auto id = static_cast<InternId>(strings_.size());
  strings_.emplace_back(s);
  ids_.emplace(std::string_view(strings_.back()), id);
  return id;
}

std::optional<InternId> Interner::find(std::string_view s) const {
  std::lock_guard lock(mutex_);
  if (auto it = ids_.find(s); it != ids_.end()) return it->second;
  return std::nullopt;
}

InternId InternCache::get(std::string_view s) {
  // Syscall names are short: hash the first and last (up to) 8 bytes.
  std::uint64_t head = 0, tail = 0;
  std::size_t n = s.size();
  std::memcpy(&head, s.data(), n < 8 ? n : 8);
  if (n > 8) std::memcpy(&tail, s.data() + n - 8, 8);
  std::uint64_t mixed = (head * 0x9E3779B97F4A7C15ull) ^ (tail * 0xC2B2AE3D27D4EB4Full) ^ n;
  auto h = static_cast<std::uint32_t>(mixed >> 32) ^ static_cast<std::uint32_t>(mixed);
  for (std::size_t n = 0, i = h & (kSlots - 1); n < kSlots; ++n, i = (i + 1) & (kSlots - 1)) {
    Slot& slot = slots_[i];
    if (!slot.used) {
      InternId id = interner_.intern(s);
      if (owned_.size() >= kSlots / 2) return id;  // full enough: stop caching
      owned_.emplace_back(s);
      slot = {owned_.back().data(), static_cast<std::uint32_t>(s.size()), id, true};
      return id;
    }
    if (slot.size == s.size() && std::memcmp(slot.data, s.data(), s.size()) == 0) return slot.id;
  }
  return interner_.intern(s);
}

}  // namespace proctrace
