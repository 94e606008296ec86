// The build views' exact text on two hand-made recordings of the same small
// make -j2 build (tests/fixtures/build/small-build*.jsonl: a.c and b.c
// compiled in parallel, then a link; in the slower one b.c takes 0.8 s
// longer, the link fails and a `touch` is gone). Every figure can be
// checked by hand against the files. After an intended change:
//   PROCTRACE_UPDATE_GOLDEN=1 build/tests/proctrace_tests --gtest_filter='*BuildGolden*'
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "test_support.h"

namespace proctrace::testing {
namespace {

struct BuildGoldenCase {
  const char* name;
  std::vector<std::string> args;  // "@A" / "@B": the two fixture recordings
  int exit_code = 0;
};

class BuildGolden : public ::testing::TestWithParam<BuildGoldenCase> {};

TEST_P(BuildGolden, MatchesFile) {
  const BuildGoldenCase& c = GetParam();
  std::vector<std::string> args;
  for (auto& a : c.args)
    args.push_back(a == "@A"   ? fixture("build/small-build.jsonl")
                   : a == "@B" ? fixture("build/small-build-slower.jsonl")
                               : a);
  auto r = run_proctrace(args);
  ASSERT_EQ(r.exit_code, c.exit_code) << r.err;
  std::string golden = fixture(std::string("build/golden/") + c.name + ".txt");
  if (std::getenv("PROCTRACE_UPDATE_GOLDEN")) {
    std::filesystem::create_directories(std::filesystem::path(golden).parent_path());
    write_file(golden, r.out);
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(golden)) << golden << " missing; run with PROCTRACE_UPDATE_GOLDEN=1";
  EXPECT_EQ(r.out, read_file(golden)) << "differs from " << golden;
}

INSTANTIATE_TEST_SUITE_P(
    Views, BuildGolden,
    ::testing::Values(BuildGoldenCase{"critical-path", {"critical-path", "@A"}},
                      BuildGoldenCase{"critical-path-slower", {"critical-path", "@B"}},
                      BuildGoldenCase{"critical-path-json", {"critical-path", "--json", "@A"}},
                      BuildGoldenCase{"stats-program", {"stats", "@A"}},
                      BuildGoldenCase{"stats-parent", {"stats", "--by", "parent", "@B"}},
                      BuildGoldenCase{"stats-command", {"stats", "--by", "command", "@B"}},
                      BuildGoldenCase{"stats-json", {"stats", "--json", "@A"}},
                      BuildGoldenCase{"diff", {"diff", "@A", "@B"}},
                      BuildGoldenCase{"diff-threshold", {"diff", "--threshold", "0.05", "@A", "@B"}},
                      BuildGoldenCase{"diff-json", {"diff", "--json", "@A", "@B"}},
                      BuildGoldenCase{"stats-cwd-missing", {"stats", "--by", "cwd", "@A"}, 1}),
    [](const auto& info) {
      std::string n = info.param.name;
      for (auto& ch : n)
        if (ch == '-') ch = '_';
      return n;
    });

}  // namespace
}  // namespace proctrace::testing

namespace proctrace::testing {
namespace {

// -o FILE writes the file (through a temporary renamed over it): the same
// text as stdout. Each command once lost its file for want of a commit.
TEST(BuildCli, OutputFileHoldsWhatStdoutShows) {
  TempDir dir;
  const std::string a = fixture("build/small-build.jsonl"), b = fixture("build/small-build-slower.jsonl");
  for (std::vector<std::string> args : {std::vector<std::string>{"critical-path", "--json", a},
                                        std::vector<std::string>{"stats", a},
                                        std::vector<std::string>{"diff", a, b}}) {
    auto to_stdout = run_proctrace(args);
    ASSERT_EQ(to_stdout.exit_code, 0) << to_stdout.err;
    std::string file = dir.file(args[0] + ".out");
    args.insert(args.end(), {"-o", file});
    auto to_file = run_proctrace(args);
    ASSERT_EQ(to_file.exit_code, 0) << to_file.err;
    ASSERT_TRUE(std::filesystem::exists(file)) << args[0] << ": no " << file;
    EXPECT_EQ(read_file(file), to_stdout.out) << args[0];
  }
}

}  // namespace
}  // namespace proctrace::testing
