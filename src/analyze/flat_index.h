// An open-addressing map from 64-bit keys to dense 32-bit slots, for the
// aggregations' hot loops: one multiply and usually one probe per lookup,
// no allocation except when growing. Callers keep their values in a vector
// indexed by the slot.
#pragma once

#include <cstdint>
#include <vector>

namespace proctrace {

class FlatIndex {
 public:
  FlatIndex() { rehash(64); }

  // The key's slot; a new key gets the next slot (size() - 1 afterwards) and
  // sets inserted.
  std::uint32_t slot(std::uint64_t key, bool& inserted) {
    std::size_t mask = keys_.size() - 1;
    for (std::size_t i = hash(key) & mask;; i = (i + 1) & mask) {
      if (slots_[i] == kEmpty) {
        inserted = true;
        slots_[i] = static_cast<std::uint32_t>(order_.size());
        keys_[i] = key;
        order_.push_back(key);
        if (order_.size() * 2 > keys_.size()) rehash(keys_.size() * 2);
        return static_cast<std::uint32_t>(order_.size() - 1);
      }
      if (keys_[i] == key) {
        inserted = false;
        return slots_[i];
      }
    }
  }
  std::size_t size() const { return order_.size(); }
  // The key of slot i.
  std::uint64_t key(std::uint32_t slot) const { return order_[slot]; }

 private:
  static constexpr std::uint32_t kEmpty = ~std::uint32_t{0};
  static std::size_t hash(std::uint64_t k) { return static_cast<std::size_t>((k * 0x9E3779B97F4A7C15ull) >> 20); }
  void rehash(std::size_t capacity) {
    keys_.assign(capacity, 0);
    slots_.assign(capacity, kEmpty);
    std::size_t mask = capacity - 1;
    for (std::uint32_t s = 0; s < order_.size(); ++s) {
      std::size_t i = hash(order_[s]) & mask;
      while (slots_[i] != kEmpty) i = (i + 1) & mask;
      keys_[i] = order_[s];
      slots_[i] = s;
    }
  }
  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> slots_;
  std::vector<std::uint64_t> order_;
};

}  // namespace proctrace
