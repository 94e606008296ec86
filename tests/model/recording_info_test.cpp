#include "model/recording_info.h"

#include <gtest/gtest.h>

#include <limits>

namespace proctrace {
namespace {

constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
constexpr auto kMax = std::numeric_limits<std::int64_t>::max();

TEST(WallClock, AddsTheOffset) {
  EXPECT_EQ(wall_clock_ns(5, 10), 15);
  EXPECT_EQ(wall_clock_ns(5, -10), -5);
}

// The offset is read from a file: any value must give an answer, not UB.
TEST(WallClock, SaturatesInsteadOfOverflowing) {
  EXPECT_EQ(wall_clock_ns(std::numeric_limits<Nanos>::max(), 0), kMax);
  EXPECT_EQ(wall_clock_ns(std::numeric_limits<Nanos>::max(), kMin), kMax);  // exact, no saturation
  EXPECT_EQ(wall_clock_ns(0, kMin), kMin);
  EXPECT_EQ(wall_clock_ns(1, kMax), kMax);
  Meta meta;
  meta.clock_offset_ns = kMin;
  EXPECT_EQ(meta.wall_clock_ns(0), kMin);
}

}  // namespace
}  // namespace proctrace
