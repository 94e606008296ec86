// Fuzzes the JSONL recording path end to end: load_trace (file access,
// format detection, line reader, event parser, process model, re-sorting)
// and the streamed views (JSON lines, Mermaid) over the same input. Also checks that
// every event the parser accepts survives a write/read round trip
// unchanged, since `sort` rewrites events through the same code.
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "io/event_json.h"
#include "io/recording_reader.h"
#include "load/trace.h"
#include "load/trace_stream.h"
#include "render/renderer.h"

using namespace proctrace;

namespace {

void check_round_trip(std::string_view line) {
  static ParsedLine first, second;
  static std::string written, rewritten;
  if (!parse_line(line, first) || first.kind != LineKind::Event) return;
  written.clear();
  append_event_json(written, first.event);
  FUZZ_CHECK(parse_line(written, second), written + "\n" + second.error);
  FUZZ_CHECK(second.kind == LineKind::Event, written);
  rewritten.clear();
  append_event_json(rewritten, second.event);
  FUZZ_CHECK(written == rewritten, written + "\n" + rewritten);
}

void check_trace(const Trace& trace) {
  for (std::size_t i = 0; i < trace.events.size(); ++i) {
    const TraceEvent& e = trace.events[i];
    FUZZ_CHECK(i == 0 || trace.events[i - 1].timestamp <= e.timestamp, "events not sorted");
    FUZZ_CHECK(e.process == kNoProcess || e.process < trace.tree.size(), "bad process index");
    check_round_trip(e.line);
  }
  for (const Process& p : trace.tree.processes()) {
    FUZZ_CHECK(p.parent == kNoProcess || p.parent < trace.tree.size(), "bad parent index");
    for (ProcessIndex c : p.children) FUZZ_CHECK(c < trace.tree.size(), "bad child index");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  // strace logs have their own targets; keep this one on the JSONL reader.
  if (!looks_like_recording(text)) return -1;

  fuzz::MemFile file(data, size);
  Diagnostics diag(/*print=*/false);
  try {
    auto trace = load_trace({file.path()}, diag);
    check_trace(*trace);
    // The streamed views: straight from the file when it is in order, else
    // through the loader again.
    for (auto* make : {+[] { return sorted_view("/dev/null", SortMode::Timestamp); },
                       +[] { return sorted_view("/dev/null", SortMode::Process); },
                       +[] { return by_process_view("/dev/null", {}); },
                       +[] { return mermaid_view("/dev/null", {}); }}) {
      auto view = make();
      stream_trace(open_inputs({file.path()}), *view, diag);
    }
  } catch (const InputError&) {
    // Nothing usable: a documented outcome (exit code 1), not a bug.
  }
  return 0;
}
