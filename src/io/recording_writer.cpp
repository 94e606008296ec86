#include "io/recording_writer.h"

#include "io/event_json.h"
#include "io/snapshot_json.h"

namespace proctrace {

void RecordingWriter::write_meta(const Meta& meta) {
  out_.buffer() += meta_json(meta);
  out_.buffer() += '\n';
  out_.flush();  // the header lands first: even a recording killed at once says what it is
}

void RecordingWriter::write_event(const Event& event) {
  append_event_json(out_.buffer(), event);
  out_.buffer() += '\n';
  ++events_;
  out_.maybe_flush();
}

void RecordingWriter::write_raw_line(std::string_view line) {
  out_.buffer() += line;
  out_.buffer() += '\n';
  ++events_;
  out_.maybe_flush();
}

void RecordingWriter::write_stats(const Stats& stats) {
  out_.buffer() += stats_json(stats);
  out_.buffer() += '\n';
  out_.flush();
}

void RecordingWriter::write_snapshot(const ProcSnapshot& snapshot) {
  out_.buffer() += snapshot_json(snapshot);
  out_.buffer() += '\n';
  out_.flush();
}

}  // namespace proctrace
