// record --debug (the original proctrace's flag): the recorder's own
// diagnostics on stderr, the recording unchanged. A real eBPF recording.
#include <gtest/gtest.h>

#include "record/bpf_recording.h"

namespace proctrace::testing {
namespace {

TEST(RecordDebug, ShowsTheRecordersDiagnosticsAndTheRecordingStaysWhole) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  auto r = record_command({"sh", "-c", "sh -c 'exit 4'; exit $?"}, {"--debug"});
  EXPECT_EQ(r.run.exit_code, 4) << r.run.err;
  EXPECT_NE(r.run.err.find("proctrace: debug: eBPF recorder loaded and attached in "), std::string::npos) << r.run.err;
  EXPECT_NE(r.run.err.find("proctrace: debug: recorder CPU: "), std::string::npos) << r.run.err;
  // record_command has loaded it: no bad line; here, the tree and totals too.
  EXPECT_EQ(describe_tree(*r.trace), "sh -c sh -c 'exit 4'; exit $? : exit 4\n  (fork) => sh -c exit 4 : exit 4\n");
  ASSERT_TRUE(r.trace->has_stats);
  EXPECT_EQ(r.trace->stats.root_status, 4);
}

TEST(RecordDebug, WithoutItTheDiagnosticsStayQuiet) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  auto r = record_command({"true"});
  EXPECT_EQ(r.run.exit_code, 0) << r.run.err;
  EXPECT_EQ(r.run.err.find("debug:"), std::string::npos) << r.run.err;
}

}  // namespace
}  // namespace proctrace::testing
