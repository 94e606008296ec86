#include "io/redact_recording.h"

#include "io/event_json.h"
#include "io/snapshot_json.h"
#include "model/redact.h"

namespace proctrace {

namespace {

// The line as it should appear in the copy: itself, a rewritten line, or
// nothing (false).
bool redact_line(std::string_view line, ParsedLine& parsed, const RedactPatterns& patterns, std::string& out,
                 bool& changed) {
  changed = false;
  if (!parse_line(line, parsed)) return false;
  // The user's patterns see the words as recorded; then the built-in shapes.
  auto argv = [&](std::vector<std::string>& words) { return patterns.apply(words) | redact_argv(words); };
  switch (parsed.kind) {
    case LineKind::Event:
      changed = argv(parsed.event.cmdline);
      changed |= patterns.apply(parsed.event.filename) | redact_word(parsed.event.filename);
      if (changed) append_event_json(out, parsed.event);
      break;
    case LineKind::Meta:
      changed = argv(parsed.meta.command);
      if (changed) out += meta_json(parsed.meta);
      break;
    case LineKind::Snapshot:
      for (auto& p : parsed.snapshot.processes) changed |= argv(p.cmdline);
      if (changed) out += snapshot_json(parsed.snapshot);
      break;
    case LineKind::Stats:
      break;
    case LineKind::UnknownVariant:
      return false;
  }
  if (!changed) out += line;
  return true;
}

}  // namespace

RedactedRecording redact_recording(std::string_view recording, const RedactPatterns& patterns) {
  RedactedRecording r;
  r.text.reserve(recording.size());
  ParsedLine parsed;
  while (!recording.empty()) {
    std::size_t nl = recording.find('\n');
    std::string_view line = recording.substr(0, nl);
    recording.remove_prefix(nl == std::string_view::npos ? recording.size() : nl + 1);
    if (line.empty()) continue;
    bool changed = false;
    const std::size_t before = r.text.size();
    if (!redact_line(line, parsed, patterns, r.text, changed)) {
      r.text.resize(before);
      ++r.lines_dropped;
      continue;
    }
    r.text += '\n';
    r.lines_changed += changed;
  }
  return r;
}

}  // namespace proctrace
