// Compressed inputs through the proctrace binary, without recording: a
// compressed strace log, sort writing .zst, and corrupt or truncated files
// refused with their name and exit code 1.
#include <gtest/gtest.h>

#include "io/compression.h"
#include "test_support.h"

namespace proctrace::testing {
namespace {

TEST(CompressedInputs, SortWritesCompressedWhenTheOutputIsNamedSo) {
  TempDir dir;
  const std::string input = fixture("recordings/make.jsonl");
  auto plain = run_proctrace({"sort", "-i", input, "-o", dir.file("sorted.jsonl")});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  auto packed = run_proctrace({"sort", "-i", input, "-o", dir.file("sorted.jsonl.zst")});
  ASSERT_EQ(packed.exit_code, 0) << packed.err;
  EXPECT_EQ(compression_from_magic(read_file(dir.file("sorted.jsonl.zst")).substr(0, 4)), Compression::Zstd);
  auto back = run_proctrace({"sort", "-i", dir.file("sorted.jsonl.zst"), "-o", "-"});
  EXPECT_EQ(back.out, read_file(dir.file("sorted.jsonl")));
}

TEST(CompressedInputs, AGzippedStraceLogIsImported) {
  if (run({"strace", "-f", "-o", "/dev/null", "true"}).exit_code != 0) GTEST_SKIP() << "strace cannot run here";
  TempDir dir;
  const std::string log = dir.file("strace.log");
  ASSERT_EQ(run({"strace", "-f", "-tt", "-T", "-o", log, "sh", "-c", "true; (exit 2)"}).exit_code, 2);
  ASSERT_EQ(run({"gzip", "-k", log}).exit_code, 0);
  ASSERT_EQ(run({"zstd", "-q", log, "-o", log + ".zst"}).exit_code, 0);
  auto plain = run_proctrace({"render", "-d", "tree", "-i", log});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  for (const std::string& packed : {log + ".gz", log + ".zst"}) {
    auto c = run_proctrace({"render", "-d", "tree", "-i", packed});
    EXPECT_EQ(c.exit_code, 0) << c.err;
    EXPECT_EQ(c.out, plain.out);
  }
}

TEST(CompressedInputs, BadCompressedInputsFailWithTheFileNameAndExitCode1) {
  TempDir dir;
  const std::string input = fixture("recordings/make.jsonl");
  ASSERT_EQ(run({"zstd", "-q", input, "-o", dir.file("good.zst")}).exit_code, 0);
  const std::string good = read_file(dir.file("good.zst"));
  write_file(dir.file("cut.zst"), good.substr(0, good.size() / 2));
  std::string corrupt = good;
  for (std::size_t i = 12; i < corrupt.size(); i += 5) corrupt[i] = static_cast<char>(~corrupt[i]);
  write_file(dir.file("corrupt.zst"), corrupt);
  for (const char* name : {"cut.zst", "corrupt.zst"}) {
    auto r = run_proctrace({"render", "-d", "tree", "-i", dir.file(name)});
    EXPECT_EQ(r.exit_code, 1) << name;
    EXPECT_NE(r.err.find(dir.file(name) + ": "), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
}

}  // namespace
}  // namespace proctrace::testing
