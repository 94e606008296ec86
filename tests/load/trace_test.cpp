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

// Views that read only the model load no event list, or (the HTML report)
// only the Exec lines with inherited fds; the model is the same whatever
// they ask for, and a recording out of order is read again for it rather
// than built from the events listed.
TEST(LoadTrace, ListsOnlyTheEventsAskedFor) {
  const std::string exec_fds =
      "{\"Exec\":{\"timestamp\":2,\"pid\":2,\"ppid\":1,\"pgid\":1,\"cmdline\":[\"cat\"],\"filename\":\"/bin/cat\","
      "\"fds\":[{\"fd\":3,\"kind\":\"file\",\"target\":\"/tmp/in\",\"access\":\"r\"}]}}\n";
  const std::string exec_plain =
      "{\"Exec\":{\"timestamp\":3,\"pid\":2,\"ppid\":1,\"pgid\":1,\"cmdline\":[\"ls\"],\"filename\":\"/bin/ls\"}}\n";
  const std::string exit = "{\"Exit\":{\"timestamp\":4,\"pid\":2,\"ppid\":1,\"pgid\":1,\"code\":3}}\n";
  const std::string bad = "{\"Exit\":{\"timestamp\":\n";
  const std::string in_order = kFork + exec_fds + exec_plain + bad + exit;
  const std::string shuffled = exec_plain + kFork + bad + exit + exec_fds;
  for (const std::string& text : {in_order, shuffled}) {
    for (auto wanted : {LoadOptions::Events::All, LoadOptions::Events::ExecsWithFds, LoadOptions::Events::None}) {
      SCOPED_TRACE(std::string(text == in_order ? "in order, " : "shuffled, ") + std::to_string(int(wanted)));
      proctrace::testing::TempDir dir;
      proctrace::testing::write_file(dir.file("r.jsonl"), text);
      Diagnostics diag(false);
      LoadOptions options;
      options.events = wanted;
      auto trace = load_trace({dir.file("r.jsonl")}, diag, options);
      EXPECT_EQ(diag.errors(), 1u);  // the bad line, reported once
      EXPECT_EQ(trace->event_count, 4u);
      EXPECT_EQ(trace->first_event, 1u);
      EXPECT_EQ(trace->last_event, 4u);
      EXPECT_TRUE(trace->exec_fds);
      std::size_t listed = wanted == LoadOptions::Events::All ? 4 : wanted == LoadOptions::Events::None ? 0 : 1;
      ASSERT_EQ(trace->events.size(), listed);
      if (wanted == LoadOptions::Events::ExecsWithFds) {
        EXPECT_EQ(trace->events[0].timestamp, 2u);
        EXPECT_NE(trace->events[0].line.find("/tmp/in"), std::string_view::npos);
        EXPECT_NE(trace->events[0].process, kNoProcess);
      }
      ASSERT_EQ(trace->tree.size(), 2u);
      const Process& cat = trace->tree[1];
      ASSERT_EQ(cat.segments.size(), 2u);  // cat, ls (pid 1 ran nothing to inherit)
      EXPECT_EQ(cat.segments[1].argv[0], "ls");
      EXPECT_EQ(cat.exit.code, 3);
    }
  }
}

}  // namespace
}  // namespace proctrace
