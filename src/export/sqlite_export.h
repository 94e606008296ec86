// The embedded database export: many recordings accumulate in one SQLite
// file, each under its own id (derived from its content, so exporting the
// same recording again is detected and skipped).
#pragma once

#include <memory>
#include <string>

#include "export/export_error.h"
#include "export/table_rows.h"

struct sqlite3;
struct sqlite3_stmt;

namespace proctrace {

class SqliteWriter : public RowWriter {
 public:
  // Creates the file and the tables when absent. Throws ExportError.
  explicit SqliteWriter(const std::string& path);
  ~SqliteWriter() override;

  bool has_recording(const ContentHash& hash) override;
  void begin_recording(std::int64_t id) override;
  void insert(TableId table, const Value* values) override;
  void commit_recording() override;
  void abort_recording() override;

 private:
  void open();
  void close();
  void exec(const std::string& sql);
  void begin_write();
  void add_missing_columns();
  [[noreturn]] void fail(const std::string& what);

  std::string path_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* inserts_[kTableCount] = {};
  sqlite3_stmt* lookup_ = nullptr;
  bool in_transaction_ = false;
};

// The DDL, for docs and tests.
std::string sqlite_schema_sql();

}  // namespace proctrace
