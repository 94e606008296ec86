#include "analyze/parallel_scan.h"

#include <algorithm>
#include <exception>
#include <thread>
#include <vector>

namespace proctrace {

unsigned scan_workers(const SyscallTable& table) {
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  std::size_t by_size = table.size() / 100'000 + 1;
  return static_cast<unsigned>(std::min<std::size_t>(cores, by_size));
}

void scan_records(const SyscallTable& table, unsigned workers,
                  const std::function<void(unsigned, std::span<const SyscallRecord>)>& visit) {
  workers = std::max(1u, workers);
  const auto& parts = table.parts();
  std::size_t total = table.size();
  // Worker w takes records [w * total / workers, (w + 1) * total / workers)
  // of the concatenated parts.
  auto run = [&](unsigned w) {
    std::size_t begin = total * w / workers, end = total * (w + 1) / workers;
    std::size_t offset = 0;
    for (auto& part : parts) {
      std::size_t lo = std::max(begin, offset), hi = std::min(end, offset + part.size());
      if (lo < hi) visit(w, std::span<const SyscallRecord>(part.data() + (lo - offset), hi - lo));
      offset += part.size();
      if (offset >= end) break;
    }
  };
  std::vector<std::thread> threads;
  std::vector<std::exception_ptr> errors(workers);
  for (unsigned w = 1; w < workers; ++w)
    threads.emplace_back([&, w] {
      try {
        run(w);
      } catch (...) {
        errors[w] = std::current_exception();
      }
    });
  try {
    run(0);
  } catch (...) {
    errors[0] = std::current_exception();
  }
  for (auto& t : threads) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace proctrace
