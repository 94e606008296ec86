// Shared by the eBPF recorder tests: record a command through the real
// proctrace binary and describe the recorded tree in a form a test can
// compare exactly (pids and timestamps left out, children in fork order).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "io/diagnostics.h"
#include "io/event_json.h"
#include "load/trace.h"
#include "model/process_tree.h"
#include "record/privileges.h"
#include "test_support.h"

namespace proctrace::testing {

// Call first in every test that loads the BPF program.
#define SKIP_UNLESS_BPF_RECORDING_POSSIBLE()                                                   \
  do {                                                                                         \
    if (auto blocker = ::proctrace::bpf_recording_blocker())                                   \
      GTEST_SKIP() << "the eBPF recorder cannot run here (" << *blocker << ")";                \
  } while (0)

struct Recorded {
  RunResult run;          // proctrace's exit code, stdout, stderr
  std::string text;       // the recording file
  std::unique_ptr<Trace> trace;
};

inline Recorded record_command(const std::vector<std::string>& command, const std::vector<std::string>& options = {}) {
  TempDir dir;
  std::string out = dir.file("recording.jsonl");
  std::vector<std::string> args{"record", "--backend", "bpf", "-o", out};
  args.insert(args.end(), options.begin(), options.end());
  args.push_back("--");
  args.insert(args.end(), command.begin(), command.end());
  Recorded r;
  r.run = run_proctrace(args);
  r.text = read_file(out);
  Diagnostics diag(false);
  r.trace = load_trace({out}, diag);
  EXPECT_EQ(diag.errors(), 0u) << r.text;
  EXPECT_EQ(diag.warnings(), 0u) << r.text;
  return r;
}

inline std::string describe_exit(const Process& p) {
  if (!p.exited()) return "running";
  if (p.exit.signal) return "signal " + std::to_string(*p.exit.signal);
  if (p.exit.code) return "exit " + std::to_string(*p.exit.code);
  return "exit ?";
}

// One line per process: its images ("(fork)" for the stretch before its
// first exec) joined with " => ", then how it ended; children indented.
inline void describe_process(const ProcessTree& tree, ProcessIndex i, int depth, std::string& out) {
  const Process& p = tree[i];
  out.append(2 * depth, ' ');
  for (std::size_t s = 0; s < p.segments.size(); ++s) {
    if (s) out += " => ";
    out += p.segments[s].inherited ? "(fork)" : join_argv(p.segments[s].argv);
  }
  out += " : " + describe_exit(p) + "\n";
  for (ProcessIndex c : p.children) describe_process(tree, c, depth + 1, out);
}

inline std::string describe_tree(const Trace& trace) {
  std::string out;
  for (ProcessIndex root : trace.tree.roots()) describe_process(trace.tree, root, 0, out);
  return out;
}

// The recording's events of one kind, parsed, in timestamp order.
inline std::vector<Event> events_of(const Trace& trace, EventKind kind) {
  std::vector<Event> out;
  ParsedLine parsed;
  for (auto& e : trace.events) {
    if (e.kind != kind) continue;
    EXPECT_TRUE(parse_line(e.line, parsed)) << e.line;
    out.push_back(parsed.event);
  }
  return out;
}

// The first Exec of the program whose argv[0] is `name`.
inline Event exec_of(const Trace& trace, const std::string& name) {
  for (const Event& e : events_of(trace, EventKind::Exec))
    if (!e.cmdline.empty() && e.cmdline[0] == name) return e;
  ADD_FAILURE() << "no exec of " << name;
  return {};
}

}  // namespace proctrace::testing
