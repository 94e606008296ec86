// What `render` and `sort` say about bad command lines and bad input.
#include <gtest/gtest.h>

#include "io/diagnostics.h"
#include "test_support.h"

namespace proctrace {
namespace {

using testing::run_proctrace;

const char* kGood = R"({"Exec":{"timestamp":1,"pid":10,"ppid":1,"pgid":10,"cmdline":["true"]}})" "\n";

TEST(RenderCli, UnknownFormatNamesTheKnownOnes) {
  testing::TempDir dir;
  testing::write_file(dir.file("r.jsonl"), kGood);
  auto r = run_proctrace({"render", "-d", "svg", dir.file("r.jsonl")});
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_NE(r.err.find("unknown format 'svg'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("mermaid"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST(RenderCli, UnreadableFileIsNamed) {
  auto r = run_proctrace({"render", "-d", "tree", "/nonexistent/rec.jsonl"});
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_NE(r.err.find("/nonexistent/rec.jsonl"), std::string::npos) << r.err;
  testing::TempDir dir;
  r = run_proctrace({"sort", dir.path()});
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_NE(r.err.find(dir.path()), std::string::npos) << r.err;
}

TEST(RenderCli, MalformedLineIsReportedWithFileAndLineAndTheRestIsRendered) {
  testing::TempDir dir;
  std::string path = dir.file("bad.jsonl");
  testing::write_file(path, std::string(kGood) + "{\"Exit\":{\"timestamp\":\"late\",\"pid\":10}}\n" +
                                R"({"Exit":{"timestamp":5,"pid":10,"ppid":1,"pgid":10,"code":0,"signal":null}})" "\n");
  for (const char* format : {"multiplexed", "by-process", "mermaid", "tree", "html"}) {
    SCOPED_TRACE(format);
    auto r = run_proctrace({"render", "-d", format, path});
    EXPECT_EQ(r.exit_code, kExitInputErrors);
    EXPECT_NE(r.err.find(path + ":2:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("timestamp"), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("true"), std::string::npos);
  }
}

TEST(RenderCli, ReadsStdinAndWritesToAFile) {
  testing::TempDir dir;
  auto r = run_proctrace({"render", "-d", "tree", "-", "-o", dir.file("tree.txt")}, kGood);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(testing::read_file(dir.file("tree.txt")), "10 [running] true\n");
}

TEST(RenderCli, EmptyInputIsAnErrorNotAnEmptyChart) {
  testing::TempDir dir;
  testing::write_file(dir.file("empty.jsonl"), "");
  auto r = run_proctrace({"render", "-d", "mermaid", dir.file("empty.jsonl")});
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_NE(r.err.find("empty.jsonl"), std::string::npos) << r.err;
}

TEST(SortCli, RejectsUnknownModes) {
  auto r = run_proctrace({"sort", "-m", "size", "-"}, kGood);
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_NE(r.err.find("size"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace proctrace
