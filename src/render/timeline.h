// What the timeline views (Mermaid Gantt, HTML report) draw for a process:
// one bar per exec segment, each at its true start with its true end.
#pragma once

#include <cstddef>

#include "load/trace.h"
#include "render/command_text.h"
#include "model/process_tree.h"

namespace proctrace {

struct Bar {
  Nanos start = 0;
  Nanos end = 0;
  const ExecSegment* segment = nullptr;  // null: the process was seen without any exec or fork
  bool open = false;     // no end recorded: drawn up to the end of the recording
  bool last = false;     // the process's final image: its exit status belongs here
  bool no_exec = false;  // forked and never exec'd: still running its parent's program
};

// Calls f(const Bar&) for each bar of p: every exec'd segment (the short
// stretch between fork and exec is not drawn), or, when p never exec'd, one
// bar for the image it inherited, or for its known lifetime.
template <class F>
void for_each_bar(const Process& p, Nanos recording_end, F&& f) {
  std::size_t execs = 0;
  for (auto& s : p.segments) execs += !s.inherited;
  std::size_t seen = 0;
  for (std::size_t i = 0; i < p.segments.size(); ++i) {
    const ExecSegment& s = p.segments[i];
    if (execs > 0 && s.inherited) continue;
    ++seen;
    Bar b;
    b.segment = &s;
    b.start = s.start;
    const std::optional<Nanos> end = p.segment_end(i);
    b.open = !end;
    b.end = end ? *end : recording_end < s.start ? s.start : recording_end;
    b.last = seen == (execs > 0 ? execs : p.segments.size());
    b.no_exec = s.inherited;
    f(b);
  }
  if (p.segments.empty()) {
    Bar b;
    b.start = p.start;
    b.open = !p.end;
    b.end = p.end ? *p.end : recording_end < p.start ? p.start : recording_end;
    b.last = true;
    f(b);
  }
}

// What was recorded, shortened for titles: Meta's command, else the first
// root process's.
std::string recorded_command(const Trace& trace, const ShortenLimits& limits);

// The end of the recording: the last event, or Stats' end when later.
inline Nanos recording_end(const Trace& trace) { return trace.tree.last_timestamp(); }

}  // namespace proctrace
