#include "load/trace_stream.h"

#include <gtest/gtest.h>

#include "analyze/build_runs.h"
#include "test_support.h"

namespace proctrace {
namespace {

TEST(TraceStream, OrderScanFindsInversions) {
  EXPECT_TRUE(streams_in_order("{\"Meta\":{\"start_timestamp\":9}}\n{\"Fork\":{\"timestamp\":1}}\n"
                                  "{\"Exec\":{\"timestamp\":1,\"cmdline\":[\"\\\"timestamp\\\":0\"]}}\n"));
  EXPECT_FALSE(streams_in_order("{\"Fork\":{\"timestamp\":5}}\n{\"Exit\":{\"timestamp\":4}}\n"));
  // Views write Meta first: a Meta line after events needs the loader.
  EXPECT_FALSE(streams_in_order("{\"Fork\":{\"timestamp\":5}}\n{\"Meta\":{\"start_timestamp\":9}}\n"));
}

// A sink that can start over is streamed without the pre-scan; where the
// order breaks late, it starts over on the loader's sorted trace. The
// result equals the sorted file's, and a bad line read before the break
// is reported once, not once per pass.
TEST(TraceStream, RestartableSinkStartsOverWhereTheOrderBreaks) {
  const std::string root = "{\"Exec\":{\"timestamp\":10,\"pid\":1,\"ppid\":0,\"cmdline\":[\"make\"]}}\n";
  const std::string fork = "{\"Fork\":{\"timestamp\":20,\"parent_pid\":1,\"child_pid\":2}}\n";
  const std::string bad = "{\"Exec\":{\"timestamp\":\n";
  const std::string exec = "{\"Exec\":{\"timestamp\":30,\"pid\":2,\"ppid\":1,\"cmdline\":[\"cc\",\"a.c\"]}}\n";
  const std::string exit = "{\"Exit\":{\"timestamp\":50,\"pid\":2,\"ppid\":1,\"code\":1}}\n";
  const std::string root_exit = "{\"Exit\":{\"timestamp\":60,\"pid\":1,\"ppid\":0,\"code\":0}}\n";
  const std::string sorted = root + fork + bad + exec + exit + root_exit;
  const std::string late_break = root + fork + bad + exec + root_exit + exit;
  const std::string meta_late = root + fork + bad + exec + exit + root_exit + "{\"Meta\":{\"start_timestamp\":5}}\n";
  testing::TempDir dir;

  auto read = [&](const std::string& text, Diagnostics& diag) {
    std::string path = dir.file("r.jsonl");
    testing::write_file(path, text);
    BuildRunCollector collector;
    stream_trace(open_inputs({path}), collector, diag);
    return collector.take();
  };
  Diagnostics expected_diag(false);
  BuildRecording expected = read(sorted, expected_diag);
  ASSERT_EQ(expected.processes.size(), 2u);
  ASSERT_EQ(expected.runs.size(), 2u);
  EXPECT_TRUE(expected.processes[1].failed());
  EXPECT_EQ(expected_diag.errors(), 1u);

  for (const std::string* text : {&late_break, &meta_late}) {
    SCOPED_TRACE(text == &late_break ? "event out of order" : "Meta after the events");
    Diagnostics diag(false);
    BuildRecording got = read(*text, diag);
    EXPECT_EQ(diag.errors(), 1u);
    EXPECT_EQ(diag.warnings(), expected_diag.warnings());
    ASSERT_EQ(got.processes.size(), expected.processes.size());
    ASSERT_EQ(got.runs.size(), expected.runs.size());
    for (std::size_t i = 0; i < got.processes.size(); ++i) {
      EXPECT_EQ(got.processes[i].pid, expected.processes[i].pid);
      EXPECT_EQ(got.processes[i].start, expected.processes[i].start);
      EXPECT_EQ(got.processes[i].end, expected.processes[i].end);
      EXPECT_EQ(got.processes[i].failed(), expected.processes[i].failed());
    }
    for (std::size_t i = 0; i < got.runs.size(); ++i) EXPECT_EQ(got.runs[i].argv, expected.runs[i].argv);
    EXPECT_EQ(got.programs, expected.programs);
  }
}

}  // namespace
}  // namespace proctrace
