// Items grouped by a small integer key in linear time (a counting sort),
// stable: within a group, items keep their order. The streamed views collect
// per-item keys as they go and group once at the end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace proctrace {

inline constexpr std::uint32_t kUngrouped = ~std::uint32_t{0};

class Grouping {
 public:
  // keys[i] is item i's group (< groups), or kUngrouped to leave it out.
  Grouping(const std::vector<std::uint32_t>& keys, std::size_t groups);

  // The indexes of group g's items, in item order.
  std::span<const std::uint32_t> operator[](std::size_t g) const {
    return {order_.data() + first_[g], order_.data() + first_[g + 1]};
  }
  bool empty(std::size_t g) const { return first_[g] == first_[g + 1]; }

 private:
  std::vector<std::uint32_t> first_;  // group g is order_[first_[g], first_[g + 1])
  std::vector<std::uint32_t> order_;
};

}  // namespace proctrace
