// Both backends exit as a shell would when the command cannot run: 127 when
// it is not found, 126 when it is found but not executable.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include "record/bpf_recording.h"

namespace proctrace::testing {
namespace {

std::vector<std::string> backends() {
  std::vector<std::string> out;
  if (run({"strace", "-f", "-o", "/dev/null", "true"}).exit_code == 0) out.push_back("strace");
  if (!bpf_recording_blocker()) out.push_back("bpf");
  return out;
}

TEST(RecordExitCodes, NotFoundIs127AndNotExecutableIs126WithEveryBackend) {
  auto available = backends();
  if (available.empty()) GTEST_SKIP() << "neither strace nor eBPF can record here";
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
