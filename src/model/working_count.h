// How many processes are working right now, updated as processes start and
// end in time order: a process works while it is alive and none of its
// recorded children is (make waiting for its jobs is not working). The
// streaming twin of analyze/concurrency.h, for exports that write a counter
// as they go. Memory follows the processes alive at once.
#pragma once

#include <cstdint>
#include <unordered_map>

namespace proctrace {

class WorkingCount {
 public:
  static constexpr std::uint64_t kNoParent = ~std::uint64_t{0};

  // parent: the live parent's serial, or kNoParent.
  void started(std::uint64_t serial, std::uint64_t parent);
  void ended(std::uint64_t serial);
  std::uint64_t working() const { return working_; }

 private:
  struct Live {
    std::uint64_t parent;
    std::uint32_t live_children = 0;
  };
  std::unordered_map<std::uint64_t, Live> live_;
  std::uint64_t working_ = 0;
};

}  // namespace proctrace
