// JsonRow must print exactly what Json::dump() prints for the same object:
// the views switched to it from Json rows and their goldens must not move.
#include "analyze/json_out.h"

#include <gtest/gtest.h>

namespace proctrace {
namespace {

std::string dumped(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

TEST(JsonRow, PrintsWhatDumpPrints) {
  static const char kControl[] = "nul \0 bell \a esc \x1b del \x7f";
  const std::string strings[] = {"",
                                 "make -j2",
                                 "quote \" and backslash \\ and slash /",
                                 std::string(kControl, sizeof kControl - 1),
                                 "tab \t newline \n cr \r bs \b ff \f",
                                 "\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E",
                                 "invalid \xFF \xC3 truncated \xE2\x82"};
  for (const std::string& s : strings) {
    Json expected = {{"pid", -5}, {"k\"ey", s}, {"own_ns", std::uint64_t{18446744073709551615u}},
                     {"gap", true}, {"no", false}, {"none", nullptr}};
    std::string row;
    JsonRow(row).num("pid", -5).str("k\"ey", s).unum("own_ns", 18446744073709551615u).boolean("gap", true)
        .boolean("no", false).null("none");
    EXPECT_EQ(row, dumped(expected)) << s;
  }
  std::string empty;
  { JsonRow row(empty); }
  EXPECT_EQ(empty, dumped(Json::object()));
}

}  // namespace
}  // namespace proctrace
