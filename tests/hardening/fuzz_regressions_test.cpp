// Replays every input a fuzz target ever crashed on (committed under
// tests/fixtures/fuzz-regressions/TARGET/) through the real binary, and
// in-process through the same loader the target drives. Under the
// sanitizer build (.ci/run) this catches a regression exactly as the fuzzer did.
#include <gtest/gtest.h>

#include <filesystem>

#include "bounded_run.h"
#include "load/trace.h"
#include "test_support.h"

namespace proctrace::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

std::vector<std::string> regressions(const std::string& target) {
  std::vector<std::string> files;
  fs::path dir = fixture("fuzz-regressions/" + target);
  if (!fs::is_directory(dir)) return files;
  for (auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file()) files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

void expect_survives_cli(const std::string& file, const std::vector<std::string>& command) {
  auto args = command;
  args.push_back(file);
  args.insert(args.end(), {"-o", "/dev/null"});
  auto r = run_proctrace_bounded(args, 60s);
  SCOPED_TRACE(file + "\n" + r.err.substr(0, 4000));
  EXPECT_FALSE(r.timed_out);
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1 || r.exit_code == 3) << "exit " << r.exit_code;
  EXPECT_EQ(r.err.find("Sanitizer"), std::string::npos);
  EXPECT_EQ(r.err.find("runtime error"), std::string::npos);
}

// Inputs that crashed fuzz_recording (JSONL reader, model, JSON-lines views).
TEST(FuzzRegressions, Recording) {
  auto files = regressions("recording");
  ASSERT_FALSE(files.empty());
  for (auto& file : files) {
    expect_survives_cli(file, {"sort"});
    expect_survives_cli(file, {"sort", "-m", "process"});
    expect_survives_cli(file, {"render", "-d", "by-process"});
    Diagnostics diag(false);
    try {
      auto trace = load_trace({file}, diag);
      EXPECT_LE(trace->tree.size(), trace->events.size()) << file;
    } catch (const InputError&) {
    }
  }
}

}  // namespace
}  // namespace proctrace::testing
