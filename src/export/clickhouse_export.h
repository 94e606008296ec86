// The ClickHouse export: the SQLite tables on MergeTree, filled over the
// HTTP interface with batched INSERT ... FORMAT JSONEachRow. Tables are
// created when absent. Works with old servers (Debian's 18.16).
#pragma once

#include <array>
#include <string>

#include "export/http_client.h"
#include "export/table_rows.h"

namespace proctrace {

class ClickHouseWriter : public RowWriter {
 public:
  // url: the HTTP interface, e.g. http://127.0.0.1:8123 (?database=... and
  // ?user=...&password=... pass through). Creates the tables.
  explicit ClickHouseWriter(std::string url, HttpLimits limits = {}, std::size_t batch_bytes = 4 << 20);

  bool has_recording(const ContentHash& hash) override;
  void begin_recording(std::int64_t id) override;
  void insert(TableId table, const Value* values) override;
  void commit_recording() override;
  void abort_recording() override;

  // Runs one statement; returns the response body. Throws ExportError with
  // the server's message.
  std::string query(const std::string& sql);
  std::uint64_t requests() const { return requests_; }

 private:
  void flush(TableId table);
  void add_missing_columns();

  std::string url_;
  std::size_t batch_bytes_;
  HttpClient http_;
  std::array<std::string, kTableCount> batches_;
  std::uint64_t requests_ = 0;
};

std::string clickhouse_schema_sql(TableId table);

}  // namespace proctrace
