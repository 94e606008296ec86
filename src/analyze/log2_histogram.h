// A power-of-two histogram of durations in microseconds, drawn the way
// DTrace's quantize() and strace-parser draw it:
//
//        µs         count  distribution
//     16 -> 31          2 |@@@@@@@@                                |
//    512 -> 1K         10 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
//
// Bucket 0 holds 0 µs; bucket k >= 1 holds [2^(k-1), 2^k) µs.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace proctrace {

class Log2Histogram {
 public:
  static constexpr std::size_t kBuckets = 65;

  static std::size_t bucket_of(std::uint64_t micros);
  // Inclusive lower bound of a bucket in µs.
  static std::uint64_t lower_bound(std::size_t bucket);
  // Exclusive upper bound; for the last bucket saturates at UINT64_MAX.
  static std::uint64_t upper_bound(std::size_t bucket);
  // "16 -> 31", "512 -> 1K", "1K -> 2K", "0 -> 0": the upper bound is written
  // inclusive while it is below 1K, and as the next unit above once a unit
  // suffix is needed (2^k - 1 µs reads better as 2^k).
  static std::string label(std::size_t bucket);
  // 1024-based units, as strace-parser writes bucket bounds: 31, 1K, 64M.
  static std::string short_count(std::uint64_t n);

  void add(std::uint64_t micros, std::uint64_t times = 1);
  std::uint64_t count(std::size_t bucket) const { return counts_[bucket]; }
  std::uint64_t total() const { return total_; }
  bool empty() const { return total_ == 0; }
  // The range of buckets worth printing: first to last non-empty (empty
  // buckets between them stay, so gaps show). {0, 0} when empty.
  std::size_t first_used() const;
  std::size_t last_used() const;  // inclusive
  void merge(const Log2Histogram& other);

  // A bar of `width` '@' for this bucket relative to the largest bucket
  // (which fills it), padded with spaces to width; a non-empty bucket gets at
  // least one '@'.
  std::string bar(std::size_t bucket, std::size_t width = 40) const;

 private:
  std::array<std::uint64_t, kBuckets> counts_{};
  std::uint64_t total_ = 0;
};

}  // namespace proctrace
