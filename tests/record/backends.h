// The recorder backends that can run on this machine, for tests that check
// the same promise on each: strace when it may ptrace, eBPF when it may load.
#pragma once

#include <string>
#include <vector>

#include "record/privileges.h"
#include "test_support.h"

namespace proctrace::testing {

// Whether strace is installed and may ptrace here (asked once).
inline bool strace_works() {
  static const bool works = run({"strace", "-f", "-o", "/dev/null", "true"}).exit_code == 0;
  return works;
}

#define REQUIRE_STRACE() \
  if (!strace_works()) GTEST_SKIP() << "strace is missing or may not ptrace here"

inline std::vector<std::string> available_backends() {
  std::vector<std::string> out;
  if (strace_works()) out.push_back("strace");
  if (!bpf_recording_blocker()) out.push_back("bpf");
  return out;
}

// Declares `backends` in the test; skips it when no backend can record.
#define REQUIRE_SOME_BACKEND(backends)                                              \
  const std::vector<std::string> backends = available_backends();                   \
  if (backends.empty()) GTEST_SKIP() << "neither strace nor eBPF can record here"

}  // namespace proctrace::testing
