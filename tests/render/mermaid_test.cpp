#include <gtest/gtest.h>

#include <regex>

#include "render_support.h"

namespace proctrace {
namespace {

using testing::render_text;

std::string label(std::string_view text) {
  std::string out;
  append_mermaid_label(out, text);
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl == std::string::npos ? text.size() : nl + 1;
  }
  return lines;
}

std::vector<std::string> task_lines(const std::string& chart) {
  std::vector<std::string> tasks;
  bool body = false;
  for (auto& l : lines_of(chart)) {
    if (l == "gantt") body = true;
    if (body && l.rfind("    ", 0) == 0 && l.find(" :") != std::string::npos && l.rfind("    section ", 0) != 0)
      tasks.push_back(l);
  }
  return tasks;
}

TEST(MermaidLabel, EncodesEveryCharacterTheGanttGrammarReads) {
  EXPECT_EQ(label("a:b#c;d%e<f>g\"h"), "a#58;b#35;c#59;d#37;e#60;f#62;g#34;h");
  EXPECT_EQ(label("café ünïcode ✓"), "café ünïcode ✓");
  EXPECT_EQ(label("line\xE2\x80\xA8sep"), "line#8232;sep");
  // Outside its entity codes, no character of the output may end a task's
  // text, start a comment or an entity.
  std::string out = label("https://x.org/?q=1#top; 100% <b> #quot;");
  std::string bare = std::regex_replace(out, std::regex("#[0-9]+;"), "");
  EXPECT_EQ(bare.find_first_of(":;#%<>\"\n"), std::string::npos) << out;
}

TEST(MermaidLabel, KeepsLeadingKeywordsFromStartingAStatement) {
  EXPECT_EQ(label("click here"), "#99;lick here");
  EXPECT_EQ(label("Section 5"), "#83;ection 5");
  EXPECT_EQ(label("title"), "#116;itle");
  EXPECT_EQ(label("2024-01-01 backup"), "#50;024-01-01 backup");
  EXPECT_EQ(label("make title"), "make title");
}

const char* kTrace =
    R"({"Exec":{"timestamp":1000000,"pid":10,"ppid":1,"pgid":10,"cmdline":["sh","-c","x"]}})" "\n"
    R"({"Fork":{"timestamp":2000000,"parent_pid":10,"child_pid":11,"parent_pgid":10}})" "\n"
    R"({"Exec":{"timestamp":2500000,"pid":11,"ppid":10,"pgid":10,"cmdline":["/bin/echo","a:b"]}})" "\n"
    R"({"Exec":{"timestamp":2600000,"pid":11,"ppid":10,"pgid":10,"cmdline":["true"]}})" "\n"
    R"({"Exit":{"timestamp":2700400,"pid":11,"ppid":10,"pgid":10,"code":0,"signal":null}})" "\n"
    R"({"Fork":{"timestamp":3000000,"parent_pid":10,"child_pid":12,"parent_pgid":10}})" "\n"
    R"({"Exit":{"timestamp":9000000,"pid":12,"ppid":10,"pgid":10,"code":null,"signal":15}})" "\n"
    R"({"Fork":{"timestamp":4000000,"parent_pid":10,"child_pid":13,"parent_pgid":10}})" "\n"
    R"({"Exec":{"timestamp":4000000,"pid":13,"ppid":10,"pgid":10,"cmdline":["sleep","9"]}})" "\n"
    R"({"Exit":{"timestamp":10000000,"pid":10,"ppid":1,"pgid":10,"code":1,"signal":null}})" "\n";

TEST(Mermaid, OneBarPerExecAtItsTrueStartWithItsTrueEnd) {
  std::string chart = render_text(kTrace, "mermaid");
  auto tasks = task_lines(chart);
  ASSERT_EQ(tasks.size(), 5u) << chart;  // sh, echo, true, the fork of sh, sleep
  EXPECT_EQ(tasks[0], "    sh -c x [exit 1] :crit, 0, 9");
  EXPECT_EQ(tasks[1], "    echo a#58;b :2, 3");  // sub-millisecond bars keep 1 ms
  EXPECT_EQ(tasks[2], "    true :2, 3");
  EXPECT_EQ(tasks[3], "    sh -c x [no exec] [SIGTERM] :crit, 2, 8");
  EXPECT_EQ(tasks[4], "    sleep 9 [running] :active, 3, 9");
}

TEST(Mermaid, RootChainFirstThenChildrenGroupedByParent) {
  std::string chart = render_text(kTrace, "mermaid");
  auto lines = lines_of(chart);
  std::vector<std::string> sections;
  for (auto& l : lines)
    if (l.rfind("    section ", 0) == 0) sections.push_back(l.substr(12));
  EXPECT_EQ(sections, (std::vector<std::string>{"pid 10 sh -c x", "children of pid 10 sh -c x"}));
  EXPECT_EQ(lines[0], "---");
  EXPECT_NE(chart.find("\n    dateFormat x\n    axisFormat %s.%L\n    todayMarker off\n"), std::string::npos);
}

TEST(Mermaid, LongTracesUseAnAxisThatDoesNotWrapAtAMinute) {
  std::string long_trace =
      R"({"Exec":{"timestamp":0,"pid":10,"ppid":1,"pgid":10,"cmdline":["make"]}})" "\n"
      R"({"Exit":{"timestamp":3725000000000,"pid":10,"ppid":1,"pgid":10,"code":0,"signal":null}})" "\n";
  std::string chart = render_text(long_trace, "mermaid");
  EXPECT_NE(chart.find("axisFormat %s\n"), std::string::npos) << chart;
  EXPECT_NE(chart.find("    make :0, 3725000\n"), std::string::npos) << chart;
}

TEST(Mermaid, OriginalProctraceFilesWithoutExitStatusAreNotMarkedFailed) {
  std::string original =
      R"({"Exec":{"timestamp":5000000,"pid":10,"ppid":1,"pgid":10,"cmdline":null}})" "\n"
      R"({"ExecArgs":{"timestamp":5000001,"pid":10,"args":"make -j2 all"}})" "\n"
      R"({"Exit":{"timestamp":7000000,"pid":10,"ppid":1,"pgid":10}})" "\n";
  auto tasks = task_lines(render_text(original, "mermaid"));
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0], "    make -j2 all :0, 2");
}

}  // namespace
}  // namespace proctrace
