// Golden files: every view of every fixture recording, compared byte for byte.
// Real recordings live in tests/fixtures/recordings/ (made by
// scripts/gen-recording-fixtures.sh), hand-made edge cases in
// tests/fixtures/render/. After an intended change of a view, regenerate with
//   PROCTRACE_UPDATE_GOLDEN=1 build/tests/proctrace_tests --gtest_filter='*Golden*'
// and review the diff.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "test_support.h"

namespace proctrace {
namespace {

namespace fs = std::filesystem;
using testing::fixture;

struct View {
  std::string name;  // golden file extension
  std::vector<std::string> args;
};

const std::vector<View>& views() {
  static const std::vector<View> v = {
      {"multiplexed", {"render", "-d", "multiplexed"}}, {"by-process", {"render", "-d", "by-process"}},
      {"mermaid", {"render", "-d", "mermaid"}},         {"tree", {"render", "-d", "tree"}},
      {"html", {"render", "-d", "html"}},               {"sort-timestamp", {"sort", "-m", "timestamp"}},
      {"sort-process", {"sort", "-m", "process"}},
  };
  return v;
}

std::vector<std::string> recordings() {
  std::vector<std::string> out;
  for (const char* dir : {"recordings", "render"}) {
    fs::path d = fixture(dir);
    if (!fs::is_directory(d)) continue;
    for (auto& entry : fs::directory_iterator(d))
      if (entry.path().extension() == ".jsonl") out.push_back(std::string(dir) + "/" + entry.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, EveryViewMatchesItsGoldenFile) {
  const std::string recording = GetParam();
  const bool update = std::getenv("PROCTRACE_UPDATE_GOLDEN") != nullptr;
  std::string stem = fs::path(recording).stem().string();
  std::string dir = fs::path(recording).parent_path().string();
  for (auto& view : views()) {
    SCOPED_TRACE(recording + " " + view.name);
    auto args = view.args;
    args.push_back(fixture(recording));
    auto r = testing::run_proctrace(args);
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 3) << r.err;
    std::string golden = fixture("render/golden/" + dir + "-" + stem + "." + view.name);
    if (update) {
      fs::create_directories(fs::path(golden).parent_path());
      testing::write_file(golden, r.out);
      continue;
    }
    ASSERT_TRUE(fs::exists(golden)) << golden << " missing; run with PROCTRACE_UPDATE_GOLDEN=1 to create it";
    EXPECT_EQ(r.out, testing::read_file(golden)) << "differs from " << golden;
  }
}

INSTANTIATE_TEST_SUITE_P(Recordings, Golden, ::testing::ValuesIn(recordings()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name;
                           for (char c : info.param) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });

}  // namespace
}  // namespace proctrace
