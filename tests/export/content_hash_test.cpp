#include "export/content_hash.h"

#include <gtest/gtest.h>

namespace proctrace {
namespace {

TEST(ContentHash, SameBytesSameHashWhateverTheChunking) {
  ContentHasher whole;
  whole.add("hello world, a recording");
  ContentHasher a, b;
  a.add("hello world, a recording");
  b.add("hello world, a recording");
  EXPECT_EQ(a.finish(), b.finish());
  EXPECT_EQ(whole.finish(), content_hash("hello world, a recording"));
  EXPECT_EQ(content_hash("x").hex().size(), 32u);
}

TEST(ContentHash, DifferentBytesOrFileSplitsDiffer) {
  EXPECT_NE(content_hash("abc"), content_hash("abd"));
  EXPECT_NE(content_hash(""), content_hash(std::string_view("\0", 1)));
  ContentHasher one, two;
  one.add("ab");
  one.add("c");
  two.add("a");
  two.add("bc");
  EXPECT_NE(one.finish(), two.finish());
  EXPECT_GT(content_hash("abc").id(), 0);
}

}  // namespace
}  // namespace proctrace
