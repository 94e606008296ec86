#include "export/sqlite_export.h"

#include <sqlite3.h>

#include <algorithm>
#include <utility>
#include <vector>

namespace proctrace {

namespace {

const char* sqlite_type(ColumnType t) {
  switch (t) {
    case ColumnType::Int: return "INTEGER NOT NULL";
    case ColumnType::NullableInt: return "INTEGER";
    case ColumnType::Text: return "TEXT NOT NULL";
    case ColumnType::Bool: return "INTEGER NOT NULL";
  }
  return "";
}

std::string index_name(const TableSchema& t, std::string_view columns) {
  std::string name = std::string(t.name) + "_by_";
  for (char c : columns)
    if (c != ' ') name += c == ',' ? '_' : c;
  return name;
}

}  // namespace

std::string sqlite_schema_sql() {
  std::string sql;
  for (const TableSchema& t : export_tables()) {
    sql += "CREATE TABLE IF NOT EXISTS " + std::string(t.name) + " (\n";
    for (const Column& c : t.columns) sql += "  " + std::string(c.name) + " " + sqlite_type(c.type) + ",\n";
    sql += "  PRIMARY KEY (" + std::string(t.key) + ")\n);\n";
    for (std::string_view columns : t.indexes)
      sql += "CREATE INDEX IF NOT EXISTS " + index_name(t, columns) + " ON " + std::string(t.name) + " (" +
             std::string(columns) + ");\n";
  }
  return sql;
}

SqliteWriter::SqliteWriter(const std::string& path) : path_(path) {
  try {
    open();
  } catch (...) {
    close();  // a throwing constructor gets no destructor
    throw;
  }
}

void SqliteWriter::open() {
  // NOMUTEX: one writer object per thread, so SQLite's own locking is pure cost.
  if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK)
    fail("cannot open");
  // Another exporter may hold the write lock for as long as its export
  // takes (see has_recording); wait for it rather than fail.
  sqlite3_busy_timeout(db_, 300000);
  // WAL: readers keep querying while a CI job appends; NORMAL sync is
  // durable at each commit point in WAL mode and much faster than FULL.
  exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
  exec(sqlite_schema_sql());
  add_missing_columns();
  for (const TableSchema& t : export_tables()) {
    std::string sql = "INSERT INTO " + std::string(t.name) + " VALUES (";
    for (std::size_t i = 0; i < t.columns.size(); ++i) sql += i ? ",?" : "?";
    sql += ")";
    if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &inserts_[static_cast<int>(t.id)],
                           nullptr) != SQLITE_OK)
      fail("cannot prepare insert into " + std::string(t.name));
  }
  if (sqlite3_prepare_v2(db_, "SELECT 1 FROM recordings WHERE id = ? AND content_hash = ?", -1, &lookup_,
                         nullptr) != SQLITE_OK)
    fail("cannot prepare lookup");
}

SqliteWriter::~SqliteWriter() { close(); }

void SqliteWriter::close() {
  if (in_transaction_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  for (auto*& s : inserts_) sqlite3_finalize(std::exchange(s, nullptr));
  sqlite3_finalize(std::exchange(lookup_, nullptr));
  // sqlite3_open_v2 hands out a connection even when it fails to open.
  sqlite3_close(std::exchange(db_, nullptr));
}

// A database an older proctrace created lacks the newer columns (all
// nullable): add them, so exports keep going into the same file.
void SqliteWriter::add_missing_columns() {
  for (const TableSchema& t : export_tables()) {
    sqlite3_stmt* info = nullptr;
    std::string sql = "PRAGMA table_info(" + std::string(t.name) + ")";
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &info, nullptr) != SQLITE_OK) fail("cannot read the schema");
    std::vector<std::string> have;
    while (sqlite3_step(info) == SQLITE_ROW)
      if (const unsigned char* name = sqlite3_column_text(info, 1)) have.emplace_back(reinterpret_cast<const char*>(name));
    sqlite3_finalize(info);
    for (const Column& c : t.columns)
      if (std::find(have.begin(), have.end(), c.name) == have.end())
        exec("ALTER TABLE " + std::string(t.name) + " ADD COLUMN " + std::string(c.name) + " " +
             sqlite_type(c.type));
  }
}

void SqliteWriter::fail(const std::string& what) {
  throw ExportError(path_ + ": " + what + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory"));
}

void SqliteWriter::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw ExportError(path_ + ": " + msg);
  }
}

void SqliteWriter::begin_write() {
  if (in_transaction_) return;
  exec("BEGIN IMMEDIATE");
  in_transaction_ = true;
}

bool SqliteWriter::has_recording(const ContentHash& hash) {
  // The write lock is taken before looking and kept until the export
  // commits: two exports of the same recording running at once would
  // otherwise both find it absent, and the second would collide with the
  // first one's rows (a UNIQUE constraint error) instead of skipping it.
  begin_write();
  const std::string hex = hash.hex();
  sqlite3_reset(lookup_);
  sqlite3_bind_int64(lookup_, 1, hash.id());
  sqlite3_bind_text(lookup_, 2, hex.data(), static_cast<int>(hex.size()), SQLITE_TRANSIENT);
  int rc = sqlite3_step(lookup_);
  sqlite3_reset(lookup_);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) fail("lookup failed");
  if (rc == SQLITE_ROW) abort_recording();  // already there: let the next exporter in
  return rc == SQLITE_ROW;
}

void SqliteWriter::begin_recording(std::int64_t) {
  // One transaction per recording: all of it or nothing, and the only way
  // SQLite inserts millions of rows quickly. Usually already open since
  // has_recording.
  begin_write();
}

void SqliteWriter::insert(TableId table_id, const Value* values) {
  sqlite3_stmt* st = inserts_[static_cast<int>(table_id)];
  const std::size_t n = table(table_id).columns.size();
  for (std::size_t i = 0; i < n; ++i) {
    const Value& v = values[i];
    const int col = static_cast<int>(i + 1);
    switch (v.kind) {
      case Value::Kind::Null: sqlite3_bind_null(st, col); break;
      case Value::Kind::Int: sqlite3_bind_int64(st, col, v.i); break;
      case Value::Kind::Text:
        // A null pointer binds SQL NULL, and an empty string_view may have
        // one (an exec with empty argv and filename): bind "" instead.
        sqlite3_bind_text(st, col, v.s.empty() ? "" : v.s.data(), static_cast<int>(v.s.size()), SQLITE_STATIC);
        break;
    }
  }
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) fail("insert into " + std::string(table(table_id).name) + " failed");
}

void SqliteWriter::commit_recording() {
  exec("COMMIT");
  in_transaction_ = false;
}

void SqliteWriter::abort_recording() {
  if (!in_transaction_) return;
  in_transaction_ = false;
  exec("ROLLBACK");
}

}  // namespace proctrace
