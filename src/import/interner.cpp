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
  // Syscall and errno names fit in 24 bytes: held and compared as three
  // words, no call to memcmp, no pointer to chase.
  const std::size_t n = s.size();
  if (n == 0 || n > kInline) return interner_.intern(s);
  std::uint64_t w[3] = {0, 0, 0};
  std::memcpy(w, s.data(), n);
  std::uint64_t mixed = (w[0] * 0x9E3779B97F4A7C15ull) ^ (w[1] * 0xC2B2AE3D27D4EB4Full) ^ w[2] ^ n;
  auto h = static_cast<std::size_t>((mixed >> 32) ^ mixed);
  for (std::size_t probe = 0, i = h & (kSlots - 1); probe < kSlots; ++probe, i = (i + 1) & (kSlots - 1)) {
    Slot& slot = slots_[i];
    if (!slot.used) {
      InternId id = interner_.intern(s);
      if (++used_ >= kSlots / 2) return id;  // full enough: stop caching
      slot = {{w[0], w[1], w[2]}, static_cast<std::uint8_t>(n), id, true};
      return id;
    }
    if (slot.size == n && slot.words[0] == w[0] && slot.words[1] == w[1] && slot.words[2] == w[2]) return slot.id;
  }
  return interner_.intern(s);
}

}  // namespace proctrace
