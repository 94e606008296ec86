// Cursor's string readers scan eight bytes at a time; every kind of byte
// they must stop at is tried at every offset around those eight.
#include "io/json_text.h"

#include <gtest/gtest.h>

namespace proctrace::json {
namespace {

TEST(JsonText, StringsStopAtEachSpecialByteWhereverItIs) {
  struct Case {
    std::string json;      // what is inserted into the string literal
    std::string expected;  // what it reads as
  };
  const Case cases[] = {{"\\\"", "\""}, {"\\\\", "\\"}, {"\\n", "\n"}, {"\\u00e9", "\xC3\xA9"},
                        {"\xC3\xA9", "\xC3\xA9"}, {"\xFF", "\xEF\xBF\xBD"}};
  for (const Case& c : cases) {
    for (std::size_t at = 0; at < 20; ++at) {
      std::string head(at, 'a'), tail(19 - at, 'b');
      std::string text = "\"" + head + c.json + tail + "\" ,";
      Cursor cursor(text);
      std::string out;
      ASSERT_TRUE(cursor.read_string(out)) << text << ": " << cursor.error();
      EXPECT_EQ(out, head + c.expected + tail) << text;
      EXPECT_TRUE(cursor.expect(','));
      // Keys: plain ones are used in place, the others decoded.
      Cursor keys(text);
      std::string_view key;
      std::string scratch;
      ASSERT_TRUE(keys.read_key(key, scratch)) << text;
      EXPECT_EQ(key, head + c.expected + tail) << text;
      EXPECT_TRUE(keys.expect(','));
    }
  }
}

TEST(JsonText, ControlBytesEndAStringButMayStayInAKey) {
  for (std::size_t at = 0; at < 20; ++at) {
    std::string body = std::string(at, 'a') + '\x01' + std::string(19 - at, 'b');
    std::string text = "\"" + body + "\"";
    std::string out;
    Cursor cursor(text);
    EXPECT_FALSE(cursor.read_string(out));
    EXPECT_EQ(cursor.error(), "control character inside a string");
    Cursor keys(text);
    std::string_view key;
    std::string scratch;
    ASSERT_TRUE(keys.read_key(key, scratch));
    EXPECT_EQ(key, body);
    EXPECT_TRUE(keys.at_end());
  }
  for (std::size_t n = 0; n < 20; ++n) {
    std::string text = "\"" + std::string(n, 'x');  // never closed
    std::string out;
    Cursor cursor(text);
    EXPECT_FALSE(cursor.read_string(out)) << n;
    EXPECT_EQ(cursor.error(), "unterminated string");
  }
}

}  // namespace
}  // namespace proctrace::json
