// Turns a recording's lifecycle into rows of the export tables and hands
// them to a database writer one at a time, so rows never pile up in memory.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "export/recording_source.h"
#include "export/table_schema.h"

namespace proctrace {

class RowWriter {
 public:
  virtual ~RowWriter() = default;
  virtual bool has_recording(const ContentHash& hash) = 0;
  virtual void begin_recording(std::int64_t id) = 0;
  // values has one cell per column of the table, in schema order.
  virtual void insert(TableId table, const Value* values) = 0;
  // The recordings row is written last: its presence marks a complete export.
  virtual void commit_recording() = 0;
  // The export failed midway: drop what can be dropped. Leftovers a writer
  // cannot drop are ignored by readers (no recordings row) and cleared by
  // the next begin_recording of the same id.
  virtual void abort_recording() = 0;
};

struct RowOptions {
  std::string label;  // free text to find the recording by (a CI run id)
};

class TableRowExport : public RecordingExport {
 public:
  TableRowExport(RowWriter& writer, RowOptions options) : writer_(writer), options_(std::move(options)) {}

  bool wants(const ContentHash& hash) override { return !writer_.has_recording(hash); }
  void begin(const RecordingHeader& header) override;
  void process_started(const Process& p, const Process* parent) override;
  void segment_ended(const Process& p, std::size_t segment) override;
  void event(const Event& e, std::string_view line, const Process& p) override;
  void process_ended(const Process& p) override;
  void end(const RecordingSummary& summary) override;

  std::uint64_t rows() const { return rows_; }

 private:
  void insert(TableId t, const Value* v) {
    writer_.insert(t, v);
    rows_++;
  }
  void write_syscalls(const SyscallTable& table);

  RowWriter& writer_;
  RowOptions options_;
  RecordingHeader header_;
  std::int64_t id_ = 0;
  std::int64_t seq_ = 0;
  std::uint64_t rows_ = 0;
  std::uint64_t syscalls_ = 0;
  std::string argv_json_, command_;
  std::vector<std::int64_t> parent_serial_;  // by model slot; -1: no parent
};

}  // namespace proctrace
