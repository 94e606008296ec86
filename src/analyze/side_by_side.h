// Two independent pieces of work at once: the second on a thread of its
// own, the first on the caller's. diff reads and prepares its two
// recordings this way, on two cores in the time of one.
#pragma once

#include <exception>
#include <thread>
#include <utility>

namespace proctrace {

// Returns once both are done. An exception from either is rethrown only
// after both finished (a thread must be joined before unwinding past it):
// the first's when both threw.
template <class First, class Second>
void side_by_side(First&& first, Second&& second) {
  std::exception_ptr second_error;
  std::thread worker([&] {
    try {
      std::forward<Second>(second)();
    } catch (...) {
      second_error = std::current_exception();
    }
  });
  try {
    std::forward<First>(first)();
  } catch (...) {
    worker.join();
    throw;
  }
  worker.join();
  if (second_error) std::rethrow_exception(second_error);
}

}  // namespace proctrace
