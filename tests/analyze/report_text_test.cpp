#include "analyze/report_text.h"

#include <gtest/gtest.h>

namespace proctrace {
namespace {

TEST(ReportText, TimeOfDayFromEachClock) {
  Meta tod;
  tod.clock = "local time of day";
  Nanos t = ((17 * 60 + 27) * 60 + 50) * 1'000'000'000ull + 398'391'000;
  EXPECT_EQ(TimeOfDay(tod)(t), "17:27:50.398391");
  EXPECT_EQ(TimeOfDay(tod)(t + 86'400'000'000'000ull), "17:27:50.398391") << "past midnight";
  Meta none;
  none.clock = "none";
  EXPECT_EQ(TimeOfDay(none)(t), "-");
  Meta epoch;
  epoch.clock = "CLOCK_BOOTTIME";
  epoch.clock_offset_ns = 1'000'000'000;
  EXPECT_EQ(TimeOfDay(epoch)(5'000'000).size(), 15u);
}

TEST(ReportText, Milliseconds) {
  EXPECT_EQ(ms(0), "0.000");
  EXPECT_EQ(ms(17'000), "0.017");
  EXPECT_EQ(ms(1'234'567'890), "1234.568");
  EXPECT_EQ(percent(1, 4), "25.00%");
  EXPECT_EQ(percent(1, 0), "-");
}

TEST(ReportText, TableAlignsColumns) {
  TextTable t({{"pid", true}, {"µs", true}, {"command", false}});
  t.add({"7", "12.5", "make -j2"});
  t.add({"12345", "0.1", "cc"});
  std::string out;
  t.write(out, "");
  EXPECT_EQ(out,
            "  pid    µs  command\n"
            "-----  ----  --------\n"
            "    7  12.5  make -j2\n"
            "12345   0.1  cc\n");
}

TEST(ReportText, ReusedPidsAreNumbered) {
  ProcessTree t;
  Event f;
  f.kind = EventKind::Fork;
  f.timestamp = 1;
  f.pid = 1;
  f.child_pid = 5;
  t.add(f);
  Event x;
  x.kind = EventKind::Exit;
  x.timestamp = 2;
  x.pid = 5;
  t.add(x);
  f.timestamp = 3;
  t.add(f);
  t.finish(4);
  ProcessNames names(t);
  EXPECT_EQ(names.pid(0), "1");
  EXPECT_EQ(names.pid(1), "5");
  EXPECT_EQ(names.pid(2), "5#2");
}

}  // namespace
}  // namespace proctrace
