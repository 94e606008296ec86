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

// Rows are kept in blocks of about a megabyte: rows on both sides of a
// block's end, a row larger than a block, empty and missing cells all come
// out as one string would have them.
TEST(ReportText, LongTablesAcrossBlocks) {
  auto text_of = [](int i) { return std::string(static_cast<std::size_t>(i % 70), static_cast<char>('a' + i % 26)); };
  auto last_of = [](int i) { return i == 12345 ? std::string(3u << 20, 'x') : "end " + std::to_string(i); };
  TextTable t({{"n", true}, {"text"}, {"last"}});
  for (int i = 0; i < 30000; ++i) {
    if (i % 1000 == 7) t.add({std::to_string(i)});  // the other cells missing: empty
    else t.add({std::to_string(i), text_of(i), last_of(i)});
  }
  std::string out;
  t.write(out, "");
  std::size_t at = 0;
  auto next_line = [&] {
    std::size_t nl = out.find('\n', at);
    std::string_view line(out.data() + at, (nl == std::string::npos ? out.size() : nl) - at);
    at = nl + 1;
    return line;
  };
  EXPECT_EQ(next_line(), "    n  text" + std::string(69 - 4, ' ') + "  last");
  next_line();  // the rule
  for (int i = 0; i < 30000; ++i) {
    std::string n = std::to_string(i);
    std::string want = std::string(5 - n.size(), ' ') + n;  // right-aligned in "29999"'s width
    if (i % 1000 != 7) want += "  " + text_of(i) + std::string(69 - text_of(i).size(), ' ') + "  " + last_of(i);
    ASSERT_EQ(next_line(), want) << "row " << i;
  }
  EXPECT_EQ(at, out.size());
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
