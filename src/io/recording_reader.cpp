#include "io/recording_reader.h"

#include <cstring>

#include "io/event_json.h"
#include "io/input_file.h"

namespace proctrace {

bool looks_like_recording(std::string_view data) {
  for (char c : data) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    return c == '{';
  }
  return false;
}

namespace {

// Whether a last line that failed to parse is a recorder's line cut off
// mid-way (kept quiet, like a killed writer's) rather than garbage (a bad
// line): it opens an object, every byte outside strings can occur in JSON,
// and the object never closes (a whole value that failed is a bad line).
bool cut_off_json(std::string_view line) {
  std::size_t i = line.find_first_not_of(" \t");
  if (i == std::string_view::npos || line[i] != '{') return false;
  int depth = 0;
  bool in_string = false;
  for (; i < line.size(); ++i) {
    char c = line[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    switch (c) {
      case '"': in_string = true; break;
      case '{': case '[': ++depth; break;
      case '}': case ']':
        if (--depth <= 0) return false;  // closed: a whole value, not a cut one
        break;
      case ' ': case '\t': case ':': case ',': case '-': case '+': case '.': break;
      default:
        if (c >= '0' && c <= '9') break;
        // Letters only of true, false and null.
        if (std::string_view("truefalsn").find(c) != std::string_view::npos) break;
        return false;
    }
  }
  return true;
}

}  // namespace

ReadSummary read_recording(std::string_view data, const std::string& name, RecordSink& sink, Diagnostics& diag) {
  ReadSummary summary;
  ParsedLine parsed;
  std::size_t pos = 0;
  std::size_t line_no = 0;
  while (pos < data.size()) {
    const char* nl = static_cast<const char*>(std::memchr(data.data() + pos, '\n', data.size() - pos));
    std::size_t end = nl ? static_cast<std::size_t>(nl - data.data()) : data.size();
    std::string_view line = data.substr(pos, end - pos);
    bool last_without_newline = !nl;
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    ++summary.lines;
    if (line.size() > kMaxLineBytes) {
      ++summary.bad_lines;
      diag.error(name, line_no, too_long_message(line.size()));
      continue;
    }

    if (!parse_line(line, parsed)) {
      if (last_without_newline && cut_off_json(line)) {
        summary.cut = true;
        diag.warning(name, line_no,
                     "recording cut off here (incomplete last line, " + std::to_string(line.size()) +
                         " bytes); kept the " + std::to_string(summary.events) + " events before it");
      } else {
        ++summary.bad_lines;
        diag.error(name, line_no, parsed.error);
      }
      continue;
    }
    if (parsed.replaced_invalid_utf8) {
      ++summary.replaced_invalid_utf8;
      diag.warning(name, line_no, "bytes that are not valid UTF-8 replaced by U+FFFD");
    }
    switch (parsed.kind) {
      case LineKind::Event:
        ++summary.events;
        sink.on_event(parsed.event, parsed.replaced_invalid_utf8 ? std::string_view() : line);
        break;
      case LineKind::Meta:
        summary.has_meta = true;
        sink.on_meta(parsed.meta);
        break;
      case LineKind::Stats:
        summary.has_stats = true;
        sink.on_stats(parsed.stats);
        break;
      case LineKind::Snapshot:
        sink.on_snapshot(parsed.snapshot);
        break;
      case LineKind::UnknownVariant:
        ++summary.unknown_variants;
        diag.warning(name, line_no, parsed.error + " (skipped; written by a newer proctrace?)");
        break;
    }
  }
  if (summary.lines == 0) diag.error(name, 0, "empty input: no events");
  return summary;
}

}  // namespace proctrace
