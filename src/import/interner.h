// Small-integer ids for repeated short strings (syscall and errno names), so
// a syscall record stores 2 bytes instead of a string. Parser threads share
// one Interner through lock-free per-thread InternCaches.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace proctrace {

using InternId = std::uint16_t;

class Interner {
 public:
  Interner();  // id 0 is the empty string ("none")
  Interner(const Interner&) = delete;
  Interner& operator=(const Interner&) = delete;

  // Thread-safe. Past 65535 distinct strings every new one maps to id 0.
  InternId intern(std::string_view s);
  std::optional<InternId> find(std::string_view s) const;
  // Not synchronised with intern(): call once parsing is over.
  std::string_view name(InternId id) const { return strings_[id]; }
  std::size_t size() const { return strings_.size(); }

 private:
  mutable std::mutex mutex_;
  std::deque<std::string> strings_;  // stable addresses for the map's keys
  std::unordered_map<std::string_view, InternId> ids_;
};

// A per-thread, open-addressed cache in front of an Interner: the hot path
// hashes a few bytes and compares them, no lock and no allocation.
class InternCache {
 public:
  explicit InternCache(Interner& interner) : interner_(interner), slots_(kSlots) {}
  InternId get(std::string_view s);

 private:
  static constexpr std::size_t kSlots = 2048;  // power of two, well above the ~500 syscalls
  static constexpr std::size_t kInline = 24;   // longer names go to the Interner each time
  struct Slot {
    std::uint64_t words[3] = {0, 0, 0};  // the name, zero-padded
    std::uint8_t size = 0;
    InternId id = 0;
    bool used = false;
  };
  Interner& interner_;
  std::vector<Slot> slots_;
  std::size_t used_ = 0;
};

}  // namespace proctrace
