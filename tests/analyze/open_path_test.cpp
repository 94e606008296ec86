#include "analyze/open_path.h"

#include <gtest/gtest.h>

namespace proctrace {
namespace {

std::string resolved(std::string_view dir, std::string_view path) {
  std::string out = "garbage";
  resolve_path(out, dir, path);
  return out;
}

TEST(OpenPath, ReadsOpenatWithDirfdDecorations) {
  auto a = parse_open_args(OpenCall::DirfdPath, R"(AT_FDCWD</tmp/w>, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC)");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->dir, "/tmp/w");
  EXPECT_EQ(a->path, "/etc/ld.so.cache");
  EXPECT_FALSE(a->truncated);
  a = parse_open_args(OpenCall::DirfdPath, R"(3</usr/lib, x>, "sub \"q\"", O_RDONLY)");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->dir, "/usr/lib, x");
  EXPECT_EQ(a->path, R"(sub \"q\")");
  a = parse_open_args(OpenCall::DirfdPath, R"(AT_FDCWD, "/usr/lib/x86_64-linux-gnu/gconv/gconv-"..., O_RDONLY)");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->dir, "");
  EXPECT_TRUE(a->truncated);
  a = parse_open_args(OpenCall::DirfdPath, R"(AT_FDCWD</>, "a", {flags=O_RDONLY, resolve=0}, 24)");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->path, "a");
}

TEST(OpenPath, ReadsOpenAndCreat) {
  auto a = parse_open_args(OpenCall::Path, R"("/dev/null", O_WRONLY)");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->path, "/dev/null");
  EXPECT_FALSE(parse_open_args(OpenCall::Path, "NULL, O_RDONLY"));
  EXPECT_FALSE(parse_open_args(OpenCall::DirfdPath, "AT_FDCWD, 0x7ffc1234, O_RDONLY"));
  EXPECT_FALSE(parse_open_args(OpenCall::DirfdPath, R"(AT_FDCWD</x, "unterminated)"));
  EXPECT_FALSE(parse_open_args(OpenCall::None, R"("/x")"));
  EXPECT_EQ(open_call("openat2"), OpenCall::DirfdPath);
  EXPECT_EQ(open_call("creat"), OpenCall::Path);
  EXPECT_EQ(open_call("openat_x"), OpenCall::None);
}

TEST(OpenPath, ResolvesLexically) {
  EXPECT_EQ(resolved("/tmp/w", "a.c"), "/tmp/w/a.c");
  EXPECT_EQ(resolved("/tmp/w", "/etc/x"), "/etc/x");
  EXPECT_EQ(resolved("/tmp/w/", "../x/./y//z"), "/tmp/x/y/z");
  EXPECT_EQ(resolved("/", "x"), "/x");
  EXPECT_EQ(resolved("/", ".."), "/");
  EXPECT_EQ(resolved("", "/a/../../b"), "/b");
  EXPECT_EQ(resolved("", "a/b/../c"), "a/c");
  EXPECT_EQ(resolved("", "a/../../b"), "../b");
  EXPECT_EQ(resolved("", "../../b/.."), "../..");
  EXPECT_EQ(resolved("", "."), ".");
  EXPECT_EQ(resolved("", ""), ".");
  EXPECT_EQ(resolved("/tmp", ""), "/tmp");
}

TEST(OpenPath, ParentDirectories) {
  EXPECT_EQ(parent_directory("/usr/lib/libc.so"), "/usr/lib");
  EXPECT_EQ(parent_directory("/usr"), "/");
  EXPECT_EQ(parent_directory("/"), "");
  EXPECT_EQ(parent_directory("a/b"), "a");
  EXPECT_EQ(parent_directory("a"), ".");
  EXPECT_EQ(parent_directory("."), "");
}

}  // namespace
}  // namespace proctrace
