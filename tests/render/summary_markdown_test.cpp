#include <gtest/gtest.h>

#include "render/summary_markdown.h"
#include "render_support.h"

namespace proctrace {
namespace {

using testing::TempDir;

std::unique_ptr<Trace> load_text(const TempDir& dir, const std::string& jsonl) {
  testing::write_file(dir.file("in.jsonl"), jsonl);
  Diagnostics diag(false);
  return load_trace({dir.file("in.jsonl")}, diag);
}

// The ```mermaid blocks of a Markdown text, fences of any length.
std::vector<std::string> mermaid_blocks(const std::string& md) {
  std::vector<std::string> blocks;
  std::size_t at = 0;
  while ((at = md.find("mermaid\n", at)) != std::string::npos) {
    std::size_t fence_start = md.rfind('\n', at) + 1;
    std::string fence = md.substr(fence_start, at - fence_start);
    at += 8;
    std::size_t end = md.find("\n" + fence + "\n", at);
    if (fence.find_first_not_of('`') != std::string::npos || fence.size() < 3 || end == std::string::npos) continue;
    blocks.push_back(md.substr(at, end + 1 - at));
    at = end;
  }
  return blocks;
}

// A make-like job: a root, `groups` parallel shells each running `per`
// compilers of growing length; every 97th compiler fails.
std::string job(int groups, int per) {
  std::string s = R"({"Exec":{"timestamp":1000000,"pid":2,"ppid":1,"pgid":2,"cmdline":["make","-j8"]}})" "\n";
  int pid = 10;
  long long t = 2'000'000;
  for (int g = 0; g < groups; ++g) {
    int shell = pid++;
    s += R"({"Fork":{"timestamp":)" + std::to_string(t) + R"(,"parent_pid":2,"child_pid":)" + std::to_string(shell) +
         R"(,"parent_pgid":2}})" "\n";
    s += R"({"Exec":{"timestamp":)" + std::to_string(t) + R"(,"pid":)" + std::to_string(shell) +
         R"(,"ppid":2,"pgid":2,"cmdline":["sh","-c","cc group )" + std::to_string(g) + R"("]}})" "\n";
    for (int k = 0; k < per; ++k) {
      int cc = pid++;
      t += 1'000'000;
      s += R"({"Fork":{"timestamp":)" + std::to_string(t) + R"(,"parent_pid":)" + std::to_string(shell) +
           R"(,"child_pid":)" + std::to_string(cc) + R"(,"parent_pgid":2}})" "\n";
      s += R"({"Exec":{"timestamp":)" + std::to_string(t) + R"(,"pid":)" + std::to_string(cc) + R"(,"ppid":)" +
           std::to_string(shell) + R"(,"pgid":2,"cmdline":["cc","-O2","-c","src/module_)" + std::to_string(cc) +
           R"(/file_with_a_long_name.c","-o","out.o"]}})" "\n";
      const bool fails = cc % 97 == 0;
      s += R"({"Exit":{"timestamp":)" + std::to_string(t + 1'000'000 * (1 + cc % 50)) + R"(,"pid":)" +
           std::to_string(cc) + R"(,"ppid":)" + std::to_string(shell) + R"(,"pgid":2,"code":)" + (fails ? "1" : "0") +
           R"(,"signal":null}})" "\n";
    }
    s += R"({"Exit":{"timestamp":)" + std::to_string(t + 60'000'000) + R"(,"pid":)" + std::to_string(shell) +
         R"(,"ppid":2,"pgid":2,"code":0,"signal":null}})" "\n";
  }
  s += R"({"Exit":{"timestamp":)" + std::to_string(t + 90'000'000) + R"(,"pid":2,"ppid":1,"pgid":2,"code":2,"signal":null}})" "\n";
  return s;
}

TEST(SummaryMarkdown, ASmallJobGetsItsWholeChart) {
  TempDir dir;
  auto trace = load_text(dir, job(2, 5));
  std::string md = summary_markdown(*trace);
  auto blocks = mermaid_blocks(md);
  ASSERT_EQ(blocks.size(), 1u) << md;
  EXPECT_EQ(blocks[0], mermaid_chart(*trace));
  EXPECT_EQ(md.find("left out"), std::string::npos);
  EXPECT_EQ(md.rfind("### proctrace: `make -j8` — exit 2, ", 0), 0u) << md;
  EXPECT_NE(md.find(", 13 processes"), std::string::npos) << md;
}

TEST(SummaryMarkdown, TwoThousandProcessesStayUnderGithubsMermaidLimitKeepingEveryFailure) {
  TempDir dir;
  auto trace = load_text(dir, job(40, 50));  // 2,041 processes
  ASSERT_EQ(trace->tree.size(), 2041u);
  const std::string full = mermaid_chart(*trace);
  ASSERT_GT(full.size(), 50'000u);
  std::string md = summary_markdown(*trace);
  auto blocks = mermaid_blocks(md);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_LT(blocks[0].size(), 50'000u);
  EXPECT_LE(blocks[0].size(), kSummaryMermaidBudget);
  EXPECT_GT(blocks[0].size(), kSummaryMermaidBudget * 3 / 4) << "the budget is used, not wasted";
  // Every failed compiler (pid % 97 == 0) is drawn, and the note says how many are left out.
  std::size_t failed = 0;
  for (int pid = 97; pid < 10 + 2041; pid += 97) {
    if (pid < 12) continue;
    bool is_shell = (pid - 10) % 51 == 0;
    if (is_shell) continue;
    ++failed;
    EXPECT_NE(blocks[0].find("src/module_" + std::to_string(pid) + "/"), std::string::npos) << pid;
  }
  EXPECT_GT(failed, 15u);
  // ... and make, which exits 2.
  EXPECT_NE(md.find(" processes (" + std::to_string(failed + 1) + " failed, then the longest); "), std::string::npos)
      << md.substr(md.size() - 400);
  EXPECT_NE(md.find(" are left out to keep the block renderable. chart.mmd and report.html have them all."),
            std::string::npos);
  std::printf("2,041 processes: full chart %zu chars, summary block %zu chars, summary %zu bytes\n", full.size(),
              blocks[0].size(), md.size());
}

TEST(SummaryMarkdown, ACommandCannotBreakOutOfItsCellOrBlock) {
  TempDir dir;
  auto trace = load_text(
      dir, R"({"Exec":{"timestamp":1000000,"pid":2,"ppid":1,"pgid":2,"cmdline":["sh","-c","a | b ``` `x`\n</details>"]}})" "\n"
           R"({"Exit":{"timestamp":2000000,"pid":2,"ppid":1,"pgid":2,"code":1,"signal":null}})" "\n");
  std::string md = summary_markdown(*trace);
  // In table cells the pipe is escaped and backticks become quotes...
  EXPECT_NE(md.find(R"(| 2 | `sh -c 'a \| b ''' 'x'\n</details>'` | exit 1 |)"), std::string::npos) << md;
  // ...and in the why and chart blocks the text stays, under longer fences.
  EXPECT_NE(md.find("````text\n"), std::string::npos) << md;
  EXPECT_NE(md.find("````mermaid\n"), std::string::npos) << md;
}

}  // namespace
}  // namespace proctrace
