// The recorder's hot path: collects the records of one ring-buffer drain,
// writes them in timestamp order and flushes, so a recorder killed between
// drains leaves complete lines only.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "io/recording_writer.h"
#include "model/event.h"
#include "model/recording_info.h"
#include "record/bpf_session.h"

namespace proctrace {

class EventDrain : public RecordSink {
 public:
  explicit EventDrain(RecordingWriter& writer) : writer_(writer) {}

  // Copies the record: ring-buffer memory is released after the callback.
  void add(const void* data, std::size_t size) override;
  // Writes the collected records (sorted: CPUs submit slightly out of
  // order) and flushes. Throws WriteError.
  void write_batch();

  // What was written so far, for the Stats line.
  void fill_stats(Stats& stats) const;
  std::uint64_t malformed() const { return malformed_; }

 private:
  struct Pending {
    Nanos timestamp;
    std::uint32_t offset;
    std::uint32_t size;
  };

  RecordingWriter& writer_;
  std::vector<unsigned char> arena_;  // the batch's records, 8-byte aligned
  std::vector<Pending> pending_;
  Event event_;  // reused for every record
  std::array<std::uint64_t, kEventKindCount> counts_{};
  std::uint64_t truncated_argv_ = 0;
  std::uint64_t malformed_ = 0;
};

}  // namespace proctrace
