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
#include <sstream>

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

// The streamed views read an in-order file straight through and anything
// else through the loader: both paths must give the same bytes. The copy
// moves the event with the latest (unique) timestamp up front, which the
// loader's stable sort puts back.
TEST_P(Golden, OutOfOrderCopyGivesTheSameViews) {
  const std::string recording = GetParam();
  std::vector<std::string> lines;
  {
    std::string text = testing::read_file(fixture(recording)), line;
    std::istringstream in(text);
    while (std::getline(in, line)) lines.push_back(line);
  }
  auto timestamp = [](const std::string& l) -> long long {
    auto k = l.find("\"timestamp\":");
    return l.rfind("{\"Meta\"", 0) == 0 || l.rfind("{\"Stats\"", 0) == 0 || k == std::string::npos
               ? -1
               : std::stoll(l.substr(k + 12));
  };
  std::size_t latest = 0;
  long long best = -1;
  int ties = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    long long t = timestamp(lines[i]);
    if (t > best) best = t, latest = i, ties = 0;
    else if (t == best) ++ties;
  }
  std::size_t first_event = 0;
  while (first_event < lines.size() && timestamp(lines[first_event]) < 0) ++first_event;
  if (best < 0 || ties || latest == first_event) GTEST_SKIP() << "no event to move out of order";
  std::string moved = lines[latest];
  lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(latest));
  lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(first_event), moved);
  testing::TempDir dir;
  std::string shuffled = dir.file("shuffled.jsonl");
  std::string text;
  for (auto& l : lines) text += l + "\n";
  testing::write_file(shuffled, text);

  std::string stem = fs::path(recording).stem().string();
  std::string sub = fs::path(recording).parent_path().string();
  for (auto& view : views()) {
    SCOPED_TRACE(recording + " " + view.name);
    auto args = view.args;
    args.push_back(shuffled);
    auto r = testing::run_proctrace(args);
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 3) << r.err;
    EXPECT_EQ(r.out, testing::read_file(fixture("render/golden/" + sub + "-" + stem + "." + view.name)));
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
