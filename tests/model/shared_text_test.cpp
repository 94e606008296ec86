#include "model/shared_text.h"

#include <gtest/gtest.h>

#include <string>

namespace proctrace {
namespace {

TEST(SharedText, EmptyByDefaultAndFromEmptyText) {
  SharedText none;
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none.str(), "");
  EXPECT_TRUE(SharedText(std::string_view()).empty());
}

TEST(SharedText, CopiesShareOneText) {
  SharedText a("/usr/bin/cc");
  SharedText b = a;
  EXPECT_EQ(b, "/usr/bin/cc");
  EXPECT_EQ(a.str().data(), b.str().data());
  b.clear();
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(a, "/usr/bin/cc");
}

TEST(TextInterner, EqualTextsAreOneCopy) {
  TextInterner texts;
  SharedText a = texts.intern("/usr/bin/cc");
  std::string same = "/usr/bin/cc";
  SharedText b = texts.intern(same);
  EXPECT_EQ(a.str().data(), b.str().data());
  EXPECT_NE(a.str().data(), texts.intern("/usr/bin/as").str().data());
  EXPECT_TRUE(texts.intern("").empty());
}

TEST(TextInterner, TextsHandedOutOutliveTheCacheStartingOver) {
  TextInterner texts;
  SharedText first = texts.intern("dir-0");
  for (int i = 1; i < 10000; ++i) texts.intern("dir-" + std::to_string(i));
  EXPECT_EQ(first, "dir-0");
  EXPECT_EQ(texts.intern("dir-0"), "dir-0");
}

}  // namespace
}  // namespace proctrace
