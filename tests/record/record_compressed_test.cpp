// record -o FILE.zst / FILE.gz writes a compressed recording through the
// real recorders, and every command that reads a recording reads it as it
// reads the plain one (tests/load/compressed_inputs_test.cpp: the rest).
#include <gtest/gtest.h>

#include "io/compression.h"
#include "load/trace.h"
#include "record/backends.h"

namespace proctrace::testing {
namespace {

// Every reader command, as argv after the binary, over `input` (and
// `other` where two recordings are compared); each must exit 0.
std::vector<std::vector<std::string>> reader_commands(const std::string& input, const std::string& other,
                                                      const std::string& dir) {
  return {
      {"sort", "-i", input, "-o", "-"},
      {"render", "-d", "tree", "-i", input},
      {"render", "-d", "mermaid", "-i", input},
      {"render", "-d", "html", "-i", input, "-o", dir + "/report.html"},
      {"tree", input},
      {"exec", input},
      {"stats", input},
      {"critical-path", input},
      {"why", input},
      {"diff", other, input},
      {"export", "--sqlite", dir + "/db.sqlite", "-i", input},
      {"export", "--perfetto", dir + "/trace.pftrace", "-i", input},
  };
}

TEST(RecordCompressed, EveryReaderReadsWhatTheRecorderCompressed) {
  REQUIRE_SOME_BACKEND(backends);
  for (const std::string& backend : backends) {
    for (const char* ext : {".zst", ".gz"}) {
      SCOPED_TRACE(backend + ext);
      TempDir dir;
      const std::string packed = dir.file(std::string("rec.prof") + ext);
      const std::string plain = dir.file("rec.jsonl");
      const std::vector<std::string> job{"sh", "-c", "ls / | wc -l >/dev/null; (sleep 0.1; exit 3); true"};
      std::vector<std::string> args{"record", "--backend", backend, "-o", packed, "--"};
      args.insert(args.end(), job.begin(), job.end());
      auto r = run_proctrace(args);
      ASSERT_EQ(r.exit_code, 0) << r.err;
      args[4] = plain;
      ASSERT_EQ(run_proctrace(args).exit_code, 0);

      const std::string raw = read_file(packed);
      EXPECT_EQ(compression_from_magic(raw.substr(0, kMagicBytes)), compression_for_path(packed));
      Diagnostics diag(false);
      auto trace = load_trace({packed}, diag);
      EXPECT_EQ(diag.errors() + diag.warnings(), 0u);
      EXPECT_TRUE(trace->has_meta);
      EXPECT_TRUE(trace->has_stats);

      // The same views as of a plain recording of the same job.
      auto tree = run_proctrace({"render", "-d", "tree", "-i", packed});
      EXPECT_NE(tree.out.find("sleep"), std::string::npos) << tree.out;
      for (const auto& command : reader_commands(packed, plain, dir.path())) {
        auto c = run_proctrace(command);
        EXPECT_EQ(c.exit_code, 0) << command[0] << ": " << c.err;
      }
      // From stdin, through a pipe: told by its bytes.
      auto piped = run_proctrace({"render", "-d", "tree"}, raw);
      EXPECT_EQ(piped.exit_code, 0) << piped.err;
      EXPECT_EQ(piped.out, tree.out);
    }
  }
}

}  // namespace
}  // namespace proctrace::testing
