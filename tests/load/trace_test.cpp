// The loading layer: one entry point that opens a recording or strace logs
// and builds the model.
#include "load/trace.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "test_support.h"

namespace proctrace {
namespace {

const std::string kFork = "{\"Fork\":{\"timestamp\":1,\"parent_pid\":1,\"child_pid\":2,\"parent_pgid\":1}}\n";

// A recording that lost events, or whose recorder never wrote Stats, must
// say so whenever it is read, not only when it was recorded.
std::uint64_t warnings_loading(const std::string& text) {
  proctrace::testing::TempDir dir;
  proctrace::testing::write_file(dir.file("r.jsonl"), text);
  Diagnostics diag(false);
  load_trace({dir.file("r.jsonl")}, diag);
  EXPECT_EQ(diag.errors(), 0u);
  return diag.warnings();
}

TEST(LoadTrace, LossesAndAMissingStatsLineAreWarnedAbout) {
  const std::string bpf_meta = "{\"Meta\":{\"version\":1,\"backend\":\"bpf\"}}\n";
  const std::string import_meta = "{\"Meta\":{\"version\":1,\"backend\":\"strace-import\"}}\n";
  const std::string complete = "{\"Stats\":{\"lost\":{\"ringbuf_full\":0}}}\n";
  const std::string lossy = "{\"Stats\":{\"lost\":{\"ringbuf_full\":7}}}\n";
  EXPECT_EQ(warnings_loading(bpf_meta + kFork + complete), 0u);
  EXPECT_EQ(warnings_loading(bpf_meta + kFork + lossy), 1u);
  EXPECT_EQ(warnings_loading(bpf_meta + kFork), 1u);     // recorder killed between lines
  EXPECT_EQ(warnings_loading(import_meta + kFork), 0u);  // imports have no Stats
  EXPECT_EQ(warnings_loading(kFork), 0u);                // original proctrace files neither
}

}  // namespace
}  // namespace proctrace
