// The recording never shares stdout with the command's own output: with no
// -o it goes to a new file named on stderr; with -o - (or a file that is
// stdout) the command's stdout goes to stderr. Real commands, both backends.
#include <gtest/gtest.h>


#include "load/trace.h"
#include "record/backends.h"

namespace proctrace::testing {
namespace {

// Loads a recording, expecting it whole: no bad line, Meta and Stats.
void expect_clean_recording(const std::string& path) {
  Diagnostics diag(false);
  auto trace = load_trace({path}, diag);
  EXPECT_EQ(diag.errors() + diag.warnings(), 0u) << read_file(path);
  EXPECT_TRUE(trace->has_meta);
  EXPECT_TRUE(trace->has_stats);
}

// proctrace record, run from `cwd`.
RunResult record_in(const std::string& cwd, const std::vector<std::string>& args) {
  std::vector<std::string> argv{"sh", "-c", "cd \"$0\" && exec \"$@\"", cwd, proctrace_binary(), "record"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv);
}

TEST(RecordStdout, WithoutOutputOptionTheRecordingGoesToANewFileNamedOnStderr) {
  REQUIRE_SOME_BACKEND(backends);
  for (const std::string& backend : backends) {
    SCOPED_TRACE(backend);
    TempDir dir;
    std::vector<std::string> names;
    for (int i = 0; i < 2; ++i) {
      auto r = record_in(dir.path(), {"--backend", backend, "--", "sh", "-c", "printf partial; true"});
      EXPECT_EQ(r.exit_code, 0) << r.err;
      EXPECT_EQ(r.out, "partial") << "stdout is the command's alone";
      std::size_t at = r.err.find("recording to proctrace-");
      ASSERT_NE(at, std::string::npos) << r.err;
      std::string name = r.err.substr(at + 13, r.err.find(' ', at + 13) - at - 13);
      expect_clean_recording(dir.file(name));
      names.push_back(name);
    }
    EXPECT_NE(names[0], names[1]) << "a second run never overwrites the first";
  }
}

TEST(RecordStdout, DashPutsTheRecordingOnStdoutAndTheCommandsStdoutOnStderr) {
  REQUIRE_SOME_BACKEND(backends);
  for (const std::string& backend : backends) {
    SCOPED_TRACE(backend);
    TempDir dir;
    auto r = record_in(dir.path(), {"--backend", backend, "-o", "-", "--", "sh", "-c", "printf partial; exit 3"});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("partial"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("the command's stdout goes to stderr"), std::string::npos) << r.err;
    write_file(dir.file("stdout.jsonl"), r.out);
    expect_clean_recording(dir.file("stdout.jsonl"));
  }
}

TEST(RecordStdout, AnOutputFileThatIsStdoutIsTreatedLikeDash) {
  REQUIRE_SOME_BACKEND(backends);
  for (const std::string& backend : backends) {
    SCOPED_TRACE(backend);
    TempDir dir;
    auto r = record_in(dir.path(), {"--backend", backend, "-o", "/dev/stdout", "--", "sh", "-c", "printf partial"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("partial"), std::string::npos) << r.err;
    write_file(dir.file("stdout.jsonl"), r.out);
    expect_clean_recording(dir.file("stdout.jsonl"));
  }
}

}  // namespace
}  // namespace proctrace::testing
