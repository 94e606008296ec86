#include "model/argv.h"

#include <gtest/gtest.h>

#include "model/process_tree.h"

namespace proctrace {
namespace {

TEST(Argv, KeepsEveryArgumentExactly) {
  std::vector<std::string> args{"cc", "", "-o", std::string("a\0b", 3), "caf\xc3\xa9"};
  Argv argv(args);
  ASSERT_EQ(argv.size(), args.size());
  for (std::size_t i = 0; i < args.size(); ++i) EXPECT_EQ(argv[i], args[i]) << i;
  EXPECT_EQ(argv, args);
  EXPECT_EQ(argv.to_vector(), args);
  EXPECT_EQ(argv.front(), "cc");
  EXPECT_EQ(argv.back(), "caf\xc3\xa9");
  EXPECT_EQ(argv.joined_length(), join_argv(args).size());
}

TEST(Argv, EmptyHasNoArguments) {
  Argv none;
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none.size(), 0u);
  EXPECT_EQ(none.begin(), none.end());
  EXPECT_EQ(none.joined_length(), 0u);
  EXPECT_TRUE(Argv(std::vector<std::string>{}).empty());
  EXPECT_EQ(none, std::vector<std::string>{});
}

TEST(Argv, ComparesByArguments) {
  EXPECT_EQ(Argv({"make", "-j2"}), Argv(std::vector<std::string>{"make", "-j2"}));
  EXPECT_FALSE(Argv({"make", "-j2"}) == Argv({"make", "-j", "2"}));
  EXPECT_FALSE(Argv({"make"}) == (std::vector<std::string>{"make", "-j2"}));
}

// The point of the type: a forked child that has not exec'd names its
// parent's program without a copy of it (issue 16: the model of a
// million-event build must stay under 200 MB).
TEST(Argv, ForkedChildSharesItsParentsArguments) {
  ProcessTree t;
  Event exec;
  exec.kind = EventKind::Exec;
  exec.timestamp = 1;
  exec.pid = 10;
  exec.cmdline = {"make", "--jobs=2", "all-of-the-targets-today"};
  exec.has_cmdline = true;
  t.add(exec);
  Event fork;
  fork.kind = EventKind::Fork;
  fork.timestamp = 2;
  fork.pid = 10;
  fork.child_pid = 11;
  t.add(fork);
  ASSERT_EQ(t.size(), 2u);
  const Argv& parent = t[0].segments.back().argv;
  const Argv& child = t[1].segments.back().argv;
  ASSERT_TRUE(t[1].segments.back().inherited);
  EXPECT_EQ(child, exec.cmdline);
  EXPECT_EQ(child[2].data(), parent[2].data());
}

}  // namespace
}  // namespace proctrace
