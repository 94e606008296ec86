// Every analysis view's exact text on a small strace -f -tt -T -yy log
// (tests/fixtures/analyze/small.strace.log: sh running cat, with a failed
// open, a wait4 split into unfinished/resumed and reads/writes on -y fds).
// Each figure in the golden files can be checked by hand against the log.
// After an intended change:
//   PROCTRACE_UPDATE_GOLDEN=1 build/tests/proctrace_tests --gtest_filter='*AnalyzeGolden*'
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "test_support.h"

namespace proctrace::testing {
namespace {

namespace fs = std::filesystem;

struct GoldenCase {
  const char* name;
  std::vector<std::string> args;
};

class AnalyzeGolden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(AnalyzeGolden, MatchesFile) {
  const GoldenCase& c = GetParam();
  std::vector<std::string> args = c.args;
  args.push_back(fixture("analyze/small.strace.log"));
  auto r = run_proctrace(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string golden = fixture(std::string("analyze/golden/") + c.name + ".txt");
  if (std::getenv("PROCTRACE_UPDATE_GOLDEN")) {
    write_file(golden, r.out);
    return;
  }
  ASSERT_TRUE(fs::exists(golden)) << golden << " missing; run with PROCTRACE_UPDATE_GOLDEN=1 to create it";
  EXPECT_EQ(r.out, read_file(golden)) << "differs from " << golden;
}

INSTANTIATE_TEST_SUITE_P(
    Views, AnalyzeGolden,
    ::testing::Values(GoldenCase{"summary", {"summary"}}, GoldenCase{"summary-children", {"summary", "-s", "children"}},
                      GoldenCase{"list-pids", {"list-pids"}}, GoldenCase{"pid-101", {"pid", "101"}},
                      GoldenCase{"exec", {"exec"}}, GoldenCase{"files", {"files"}},
                      GoldenCase{"files-duration", {"files", "-s", "duration"}},
                      GoldenCase{"directories", {"directories"}}, GoldenCase{"io", {"io"}},
                      GoldenCase{"quantize", {"quantize", "read,wait4"}},
                      GoldenCase{"summary-json", {"summary", "--json"}},
                      GoldenCase{"files-json", {"files", "--json"}}, GoldenCase{"io-json", {"io", "--json"}}),
    [](const auto& info) {
      std::string n = info.param.name;
      for (auto& ch : n)
        if (ch == '-') ch = '_';
      return n;
    });

}  // namespace
}  // namespace proctrace::testing
