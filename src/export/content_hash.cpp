#include "export/content_hash.h"

#include <algorithm>
#include <cstring>

#include "io/input_file.h"

namespace proctrace {

namespace {

constexpr std::uint64_t kMulA = 0x9e3779b97f4a7c15ull;
constexpr std::uint64_t kMulB = 0xc2b2ae3d27d4eb4full;

std::uint64_t rotl(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

// Final avalanche so that nearby inputs give unrelated ids.
std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  x ^= x >> 33;
  return x;
}

}  // namespace

void ContentHasher::add(std::string_view bytes, ReleaseBehind* behind) {
  // Two independent lanes, 8 bytes per step: fast enough to hash a large
  // recording in a fraction of the time it takes to parse it.
  const char* p = bytes.data();
  std::size_t n = bytes.size();
  // In 1 MiB blocks, so that pages can be given back between them without a
  // test in the inner loop; the words, and so the hash, are the same.
  constexpr std::size_t kBlock = 1u << 20;
  while (n >= 8) {
    const char* block_end = p + std::min(n, kBlock) / 8 * 8;
    for (; p < block_end; p += 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      a_ = rotl(a_ ^ (w * kMulA), 29) * kMulB;
      b_ = rotl(b_ + (w * kMulB), 31) * kMulA;
    }
    n = static_cast<std::size_t>(bytes.data() + bytes.size() - p);
    if (behind) behind->reached(p);
  }
  if (n) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, n);
    w ^= static_cast<std::uint64_t>(n) << 56;
    a_ = rotl(a_ ^ (w * kMulA), 29) * kMulB;
    b_ = rotl(b_ + (w * kMulB), 31) * kMulA;
  }
  total_ += bytes.size();
  // Chunk boundaries matter: ["ab","c"] and ["a","bc"] are different file sets.
  a_ = rotl(a_ ^ (bytes.size() * kMulB), 17) * kMulA;
  b_ = rotl(b_ + bytes.size(), 13) * kMulB;
}

ContentHash ContentHasher::finish() const {
  ContentHash h;
  h.hi = mix(a_ ^ rotl(b_, 32) ^ total_);
  h.lo = mix(b_ + a_ * kMulA + total_);
  return h;
}

std::string ContentHash::hex() const {
  static const char digits[] = "0123456789abcdef";
  std::string out(32, '0');
  for (int i = 0; i < 16; ++i) {
    out[15 - i] = digits[(hi >> (4 * i)) & 15];
    out[31 - i] = digits[(lo >> (4 * i)) & 15];
  }
  return out;
}

ContentHash content_hash(std::string_view bytes) {
  ContentHasher h;
  h.add(bytes);
  return h.finish();
}

}  // namespace proctrace
