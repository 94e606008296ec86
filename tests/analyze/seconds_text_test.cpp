// seconds_text prints what "%llu.%03llu" of whole seconds and milliseconds
// printed (it no longer goes through snprintf): the views' goldens rely on it.
#include <gtest/gtest.h>

#include <cstdio>

#include "analyze/build_views.h"

namespace proctrace {
namespace {

std::string printf_seconds(Nanos ns) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%llu.%03llu", static_cast<unsigned long long>(ns / 1'000'000'000),
                static_cast<unsigned long long>(ns % 1'000'000'000 / 1'000'000));
  return buf;
}

TEST(SecondsText, SecondsAndZeroPaddedMilliseconds) {
  EXPECT_EQ(seconds_text(0), "0.000");
  EXPECT_EQ(seconds_text(999'999), "0.000");
  EXPECT_EQ(seconds_text(1'000'000), "0.001");
  EXPECT_EQ(seconds_text(12'340'000'000), "12.340");
  EXPECT_EQ(signed_seconds_text(-1'500'000'000), "-1.500");
  for (Nanos ns : {Nanos{0}, Nanos{7'000'000}, Nanos{99'000'000}, Nanos{999'999'999}, Nanos{1'000'000'000},
                   Nanos{3'600'123'456'789}, ~Nanos{0}})
    EXPECT_EQ(seconds_text(ns), printf_seconds(ns)) << ns;
}

}  // namespace
}  // namespace proctrace
