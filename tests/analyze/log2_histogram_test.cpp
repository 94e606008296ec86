#include "analyze/log2_histogram.h"

#include <gtest/gtest.h>

namespace proctrace {
namespace {

TEST(Log2Histogram, BucketsArePowersOfTwo) {
  EXPECT_EQ(Log2Histogram::bucket_of(0), 0u);
  EXPECT_EQ(Log2Histogram::bucket_of(1), 1u);
  EXPECT_EQ(Log2Histogram::bucket_of(2), 2u);
  EXPECT_EQ(Log2Histogram::bucket_of(3), 2u);
  EXPECT_EQ(Log2Histogram::bucket_of(16), 5u);
  EXPECT_EQ(Log2Histogram::bucket_of(31), 5u);
  EXPECT_EQ(Log2Histogram::bucket_of(32), 6u);
  EXPECT_EQ(Log2Histogram::bucket_of(UINT64_MAX), 64u);
  for (std::uint64_t v : {0ull, 1ull, 7ull, 1000ull, 123456789ull}) {
    std::size_t b = Log2Histogram::bucket_of(v);
    EXPECT_LE(Log2Histogram::lower_bound(b), v);
    EXPECT_LT(v, Log2Histogram::upper_bound(b));
  }
}

TEST(Log2Histogram, LabelsAsStraceParserWritesThem) {
  EXPECT_EQ(Log2Histogram::label(Log2Histogram::bucket_of(16)), "16 -> 31");
  EXPECT_EQ(Log2Histogram::label(Log2Histogram::bucket_of(600)), "512 -> 1K");
  EXPECT_EQ(Log2Histogram::label(Log2Histogram::bucket_of(1024)), "1K -> 2K");
  EXPECT_EQ(Log2Histogram::label(Log2Histogram::bucket_of(1 << 20)), "1M -> 2M");
  EXPECT_EQ(Log2Histogram::label(1), "1 -> 1");
  EXPECT_EQ(Log2Histogram::label(0), "0 -> 0");
  EXPECT_EQ(Log2Histogram::label(64), "8E -> max");
}

TEST(Log2Histogram, CountsSumToTotalAndBarsScaleToTheLargestBucket) {
  Log2Histogram h;
  h.add(20, 3);
  h.add(700);
  h.add(3000, 36);
  EXPECT_EQ(h.total(), 40u);
  std::uint64_t sum = 0;
  for (std::size_t b = 0; b < Log2Histogram::kBuckets; ++b) sum += h.count(b);
  EXPECT_EQ(sum, 40u);
  EXPECT_EQ(h.first_used(), 5u);
  EXPECT_EQ(h.last_used(), 12u);
  // Scaled to the largest bucket (36), which fills the 40 cells.
  EXPECT_EQ(h.bar(5), std::string(3, '@') + std::string(37, ' '));   // 3/36 of 40 = 3.3
  EXPECT_EQ(h.bar(10), std::string(1, '@') + std::string(39, ' '));  // 1/36 of 40 = 1.1
  EXPECT_EQ(h.bar(12), std::string(40, '@'));
  EXPECT_EQ(h.bar(7), std::string(40, ' '));  // empty bucket between used ones
  Log2Histogram tiny;
  tiny.add(1);
  tiny.add(5, 10000);
  EXPECT_EQ(tiny.bar(1).find('@'), 0u) << "a non-empty bucket never draws empty";
}

TEST(Log2Histogram, Merge) {
  Log2Histogram a, b;
  a.add(5);
  b.add(5);
  b.add(0);
  a.merge(b);
  EXPECT_EQ(a.total(), 3u);
  EXPECT_EQ(a.count(3), 2u);
  EXPECT_EQ(a.count(0), 1u);
}

}  // namespace
}  // namespace proctrace
