#include "io/terminal_text.h"

#include <gtest/gtest.h>

namespace proctrace {
namespace {

TEST(TerminalText, ControlCharactersAreShownEscaped) {
  EXPECT_EQ(terminal_safe("a\x1b[2Jb"), "a\\x1b[2Jb");
  EXPECT_EQ(terminal_safe("bell\a nul" + std::string(1, '\0') + " del\x7f"), "bell\\x07 nul\\x00 del\\x7f");
  EXPECT_EQ(terminal_safe("two\nlines\r"), "two\\nlines\\r");
  EXPECT_EQ(terminal_safe("tab\there"), "tab\there");
  EXPECT_EQ(terminal_safe("tab\there", /*keep_tab=*/false), "tab\\there");
}

TEST(TerminalText, C1AndUnicodeLineAndBidiControlsAreEscaped) {
  EXPECT_EQ(terminal_safe("\xc2\x9b" "31m"), "\\u009b31m");           // CSI as UTF-8
  EXPECT_EQ(terminal_safe("\xc2\x80 \xc2\x9f"), "\\u0080 \\u009f");
  EXPECT_EQ(terminal_safe("a\xe2\x80\xae" "b"), "a\\u202eb");          // right-to-left override
  EXPECT_EQ(terminal_safe("\xe2\x80\xa8"), "\\u2028");
}

TEST(TerminalText, BytesThatAreNotUtf8AreEscaped) {
  EXPECT_EQ(terminal_safe("\x9b" "31m"), "\\x9b31m");  // CSI to an 8-bit terminal
  EXPECT_EQ(terminal_safe("\xff\xfe"), "\\xff\\xfe");
  EXPECT_EQ(terminal_safe("\xc0\xaf"), "\\xc0\\xaf");  // overlong '/'
  EXPECT_EQ(terminal_safe("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // surrogate
  EXPECT_EQ(terminal_safe("cut \xe2\x82"), "cut \\xe2\\x82");
}

TEST(TerminalText, PrintableTextIsUnchanged) {
  for (std::string s : {"", "plain ascii ~!@#$%^&*()", "back\\slash \\x1b", "é ü 日本語 🙂 €", "\xc2\xa0nbsp"})
    EXPECT_EQ(terminal_safe(s), s);
  // Escaping twice changes nothing more.
  std::string once = terminal_safe("\x1b\xc2\x9b\x9b\n");
  EXPECT_EQ(terminal_safe(once), once);
}

}  // namespace
}  // namespace proctrace
