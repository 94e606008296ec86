#include "render/grouping.h"

namespace proctrace {

Grouping::Grouping(const std::vector<std::uint32_t>& keys, std::size_t groups) : first_(groups + 1, 0) {
  for (std::uint32_t k : keys)
    if (k != kUngrouped) ++first_[k + 1];
  for (std::size_t g = 1; g <= groups; ++g) first_[g] += first_[g - 1];
  order_.resize(first_[groups]);
  std::vector<std::uint32_t> next(first_.begin(), first_.end() - 1);
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (keys[i] != kUngrouped) order_[next[keys[i]]++] = static_cast<std::uint32_t>(i);
}

}  // namespace proctrace
