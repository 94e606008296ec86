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

// A build that broke everywhere: the status changes are listed as far as
// the table goes (-c), the rest counted, so the answer stays on screen.
TEST(BuildCli, DiffListsStatusChangesAsFarAsTheTableGoes) {
  TempDir dir;
  auto recording = [&](const std::string& name, int code) {
    std::string text = "{\"Exec\":{\"timestamp\":1,\"pid\":10,\"ppid\":1,\"cmdline\":[\"make\"]}}\n";
    for (int i = 0; i < 3; ++i) {
      std::string pid = std::to_string(20 + i), t = std::to_string(10 + 10 * i);
      text += "{\"Fork\":{\"timestamp\":" + t + ",\"parent_pid\":10,\"child_pid\":" + pid + "}}\n";
      text += "{\"Exec\":{\"timestamp\":" + t + ",\"pid\":" + pid + ",\"ppid\":10,\"cmdline\":[\"cc\",\"f" +
              std::to_string(i) + ".c\"]}}\n";
      text += "{\"Exit\":{\"timestamp\":" + std::to_string(15 + 10 * i) + ",\"pid\":" + pid +
              ",\"ppid\":10,\"code\":" + std::to_string(code) + "}}\n";
    }
    text += "{\"Exit\":{\"timestamp\":50,\"pid\":10,\"ppid\":1,\"code\":" + std::to_string(code) + "}}\n";
    std::string path = dir.file(name);
    write_file(path, text);
    return path;
  };
  std::string passed = recording("passed.jsonl", 0), failed = recording("failed.jsonl", 2);
  auto r = run_proctrace({"diff", "-c", "2", passed, failed});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("4 run(s) changed status:\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  ... 2 more (-c 0 shows all)\n4 runs matched"), std::string::npos) << r.out;
  auto all = run_proctrace({"diff", "-c", "0", passed, failed});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  for (const char* line : {"  make: exit 0 -> exit 2\n", "  cc f0.c: exit 0 -> exit 2\n", "  cc f1.c: exit 0 -> exit 2\n",
                           "  cc f2.c: exit 0 -> exit 2\n"})
    EXPECT_NE(all.out.find(line), std::string::npos) << line << " in\n" << all.out;
  EXPECT_EQ(all.out.find("more (-c 0"), std::string::npos) << all.out;
}

}  // namespace
}  // namespace proctrace::testing
