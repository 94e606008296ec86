#include "analyze/log2_histogram.h"

#include <algorithm>
#include <bit>

namespace proctrace {

std::size_t Log2Histogram::bucket_of(std::uint64_t micros) {
  return micros == 0 ? 0 : static_cast<std::size_t>(std::bit_width(micros));
}

std::uint64_t Log2Histogram::lower_bound(std::size_t bucket) {
  return bucket == 0 ? 0 : std::uint64_t{1} << (bucket - 1);
}

std::uint64_t Log2Histogram::upper_bound(std::size_t bucket) {
  if (bucket == 0) return 1;
  if (bucket >= 64) return UINT64_MAX;
  return std::uint64_t{1} << bucket;
}

std::string Log2Histogram::short_count(std::uint64_t n) {
  static const char* const kUnits[] = {"", "K", "M", "G", "T", "P", "E"};
  std::size_t unit = 0;
  while (n >= 1024 && n % 1024 == 0 && unit + 1 < std::size(kUnits)) {
    n /= 1024;
    ++unit;
  }
  return std::to_string(n) + kUnits[unit];
}

std::string Log2Histogram::label(std::size_t bucket) {
  if (bucket == 0) return "0 -> 0";
  std::uint64_t low = lower_bound(bucket);
  std::uint64_t high = upper_bound(bucket);
  std::string upper = high < 1024 ? std::to_string(high - 1) : high == UINT64_MAX ? "max" : short_count(high);
  return short_count(low) + " -> " + upper;
}

void Log2Histogram::add(std::uint64_t micros, std::uint64_t times) {
  counts_[bucket_of(micros)] += times;
  total_ += times;
}

void Log2Histogram::merge(const Log2Histogram& other) {
  for (std::size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
  total_ += other.total_;
}

std::size_t Log2Histogram::first_used() const {
  for (std::size_t i = 0; i < kBuckets; ++i)
    if (counts_[i]) return i;
  return 0;
}

std::size_t Log2Histogram::last_used() const {
  for (std::size_t i = kBuckets; i-- > 0;)
    if (counts_[i]) return i;
  return 0;
}

std::string Log2Histogram::bar(std::size_t bucket, std::size_t width) const {
  std::size_t n = 0;
  const std::uint64_t largest = *std::max_element(counts_.begin(), counts_.end());
  if (largest && counts_[bucket]) {
    // The largest bucket fills the width (as strace-parser and DTrace draw
    // it), so small differences between buckets stay visible. Rounded to the
    // nearest cell, but a non-empty bucket never looks empty.
    n = static_cast<std::size_t>((counts_[bucket] * width * 2 + largest) / (2 * largest));
    if (n == 0) n = 1;
  }
  return std::string(n, '@') + std::string(width - n, ' ');
}

}  // namespace proctrace
