// Both backends exit as a shell would when the command cannot run: 127 when
// it is not found, 126 when it is found but not executable.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include "record/backends.h"

namespace proctrace::testing {
namespace {

TEST(RecordExitCodes, NotFoundIs127AndNotExecutableIs126WithEveryBackend) {
  REQUIRE_SOME_BACKEND(available);
  TempDir dir;
  std::string plain = dir.file("plain-file");
  write_file(plain, "#!/bin/sh\ntrue\n");
  chmod(plain.c_str(), 0644);
  const std::vector<std::pair<std::string, int>> cases{
      {"proctrace-no-such-command", 127},
      {dir.file("missing"), 127},
      {plain, 126},
      {dir.path(), 126},  // a directory
  };
  for (const std::string& backend : available) {
    for (auto& [command, expected] : cases) {
      SCOPED_TRACE(backend + " " + command);
      std::string out = dir.file(backend + ".jsonl");
      auto r = run_proctrace({"record", "--backend", backend, "-o", out, "--", command});
      EXPECT_EQ(r.exit_code, expected) << r.err;
      EXPECT_NE(r.err.find("cannot run '" + command + "'"), std::string::npos) << r.err;
    }
  }
}

}  // namespace
}  // namespace proctrace::testing
