#include "model/shared_bytes.h"

#include <gtest/gtest.h>

#include <cstring>
#include <thread>
#include <vector>

namespace proctrace {
namespace {

TEST(SharedBytes, EmptyHasNoBlock) {
  SharedBytes none;
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none.size(), 0u);
  EXPECT_EQ(none.view(), "");
  EXPECT_TRUE(SharedBytes(std::string_view()).empty());
  EXPECT_TRUE(SharedBytes::for_overwrite(0).empty());
  EXPECT_EQ(sizeof(SharedBytes), sizeof(void*));
}

TEST(SharedBytes, CopiesShareTheBlockAndOutliveTheOriginal) {
  SharedBytes copy;
  {
    SharedBytes a("cc -O2");
    copy = a;
    EXPECT_TRUE(copy.same_block(a));
    EXPECT_EQ(copy.data(), a.data());
  }
  EXPECT_EQ(copy.view(), "cc -O2");  // the block lives while a copy does
  SharedBytes moved = std::move(copy);
  EXPECT_TRUE(copy.empty());
  EXPECT_EQ(moved.view(), "cc -O2");
  const SharedBytes& same = moved;
  moved = same;  // self-assignment keeps it
  EXPECT_EQ(moved.view(), "cc -O2");
}

TEST(SharedBytes, ABlockOver4GiBIsRefusedNotCut) {
  EXPECT_THROW(SharedBytes::for_overwrite(std::size_t{1} << 32), std::length_error);
}

TEST(SharedBytes, FilledInPlace) {
  SharedBytes b = SharedBytes::for_overwrite(5);
  std::memcpy(b.data(), "hello", 5);
  EXPECT_EQ(b.view(), "hello");
}

// Copies made and dropped on several threads at once free the block once
// (a double free or a leak shows under the sanitizer build).
TEST(SharedBytes, CountedAcrossThreads) {
  SharedBytes shared("/usr/bin/cc");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        SharedBytes copy = shared;
        ASSERT_EQ(copy.size(), 11u);
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(shared.view(), "/usr/bin/cc");
}

}  // namespace
}  // namespace proctrace
