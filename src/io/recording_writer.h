// Streams a recording as JSON lines. Lines are buffered and written whole
// with write(2), so a recorder killed at any moment leaves a valid prefix
// plus at most one partial line (compressed: a valid prefix of whole frames
// plus at most one partial frame).
#pragma once

#include <string>

#include "io/output_file.h"
#include "model/event.h"
#include "model/proc_snapshot.h"
#include "model/recording_info.h"

namespace proctrace {

class RecordingWriter {
 public:
  // path "-" writes to stdout. Throws WriteError if the file cannot be created.
  // Written in place as events come (Placement::Live): a killed recorder
  // leaves the valid prefix under the file's name.
  explicit RecordingWriter(const std::string& path) : out_(path, Placement::Live) {}
  // Adopts an already open descriptor (e.g. one opened before dropping
  // privileges). A name ending in .zst or .gz is written compressed, a frame
  // per flush.
  RecordingWriter(int fd, std::string name, bool owned)
      : out_(fd, name, owned, compression_for_path(name), Placement::Live) {}

  void write_meta(const Meta& meta);
  void write_event(const Event& event);
  void write_raw_line(std::string_view line);  // an already serialized event
  void write_stats(const Stats& stats);
  void write_snapshot(const ProcSnapshot& snapshot);

  void flush() { out_.flush(); }
  void set_flush_threshold(std::size_t bytes) { out_.set_flush_threshold(bytes); }
  const std::string& name() const { return out_.name(); }
  std::uint64_t events_written() const { return events_; }

 private:
  OutputFile out_;
  std::uint64_t events_ = 0;
};

}  // namespace proctrace
