// Streams the lines of a JSONL recording (ours or the original proctrace's)
// into a sink. Bad lines are reported with file:line and skipped; a last line
// cut off mid-way (a recorder killed while writing) is reported as the cut
// point and everything before it is kept.
#pragma once

#include <string_view>

#include "io/diagnostics.h"
#include "model/event.h"
#include "model/proc_snapshot.h"
#include "model/recording_info.h"

namespace proctrace {

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void on_meta(const Meta&) {}
  // raw_line is the event's original text (without newline), valid for the
  // life of the input buffer: views that re-emit events copy no JSON. It is
  // empty when the text cannot be passed on as is (bytes that are not UTF-8,
  // replaced in the event): serialize the event instead.
  virtual void on_event(const Event& event, std::string_view raw_line) = 0;
  virtual void on_stats(const Stats&) {}
  // A /proc snapshot the recorder took (model/proc_snapshot.h).
  virtual void on_snapshot(const ProcSnapshot&) {}
};

struct ReadSummary {
  std::uint64_t lines = 0;
  std::uint64_t events = 0;
  std::uint64_t bad_lines = 0;
  std::uint64_t unknown_variants = 0;
  std::uint64_t replaced_invalid_utf8 = 0;  // lines whose strings were not valid UTF-8
  bool cut = false;  // the last line was incomplete
  bool has_meta = false;
  bool has_stats = false;
};

// data: the whole file; name: for diagnostics.
ReadSummary read_recording(std::string_view data, const std::string& name, RecordSink& sink, Diagnostics& diag);

// True when the text looks like a JSONL recording rather than a strace log.
bool looks_like_recording(std::string_view data);

}  // namespace proctrace
