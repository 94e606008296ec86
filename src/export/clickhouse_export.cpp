#include "export/clickhouse_export.h"

#include <algorithm>
#include <optional>

#include "export/http_checks.h"
#include "io/json_text.h"

namespace proctrace {

namespace {

const char* clickhouse_type(ColumnType t) {
  switch (t) {
    case ColumnType::Int: return "Int64";
    case ColumnType::NullableInt: return "Nullable(Int64)";
    case ColumnType::Text: return "String";
    case ColumnType::Bool: return "UInt8";
  }
  return "";
}

std::string insert_prefix(TableId id) { return "INSERT INTO " + std::string(table(id).name) + " FORMAT JSONEachRow\n"; }

}  // namespace

std::string clickhouse_schema_sql(TableId id) {
  const TableSchema& t = table(id);
  std::string sql = "CREATE TABLE IF NOT EXISTS " + std::string(t.name) + " (";
  for (std::size_t i = 0; i < t.columns.size(); ++i)
    sql += (i ? ", " : "") + std::string(t.columns[i].name) + " " + clickhouse_type(t.columns[i].type);
  // The explicit MergeTree() ... ORDER BY form is what 18.16 understands too.
  sql += ") ENGINE = MergeTree() ORDER BY (" + std::string(t.key) + ")";
  return sql;
}

ClickHouseWriter::ClickHouseWriter(std::string url, HttpLimits limits, std::size_t batch_bytes)
    : url_(std::move(url)), batch_bytes_(batch_bytes), http_(limits) {
  for (const TableSchema& t : export_tables()) query(clickhouse_schema_sql(t.id));
  add_missing_columns();
}

// Tables an older proctrace created lack the newer columns (all nullable):
// add them, so exports keep going into the same database. system.columns,
// not ADD COLUMN IF NOT EXISTS, which 18.16 does not know.
void ClickHouseWriter::add_missing_columns() {
  std::string ours;
  for (const TableSchema& t : export_tables()) ours += (ours.empty() ? "'" : ",'") + std::string(t.name) + "'";
  std::string have = query("SELECT concat(table, '.', name) FROM system.columns WHERE database = currentDatabase()"
                           " AND table IN (" + ours + ") FORMAT TabSeparated");
  auto has = [&](const std::string& name) {
    std::size_t at = have.find(name + "\n");
    return at != std::string::npos && (at == 0 || have[at - 1] == '\n');
  };
  for (const TableSchema& t : export_tables())
    for (const Column& c : t.columns)
      if (!has(std::string(t.name) + "." + std::string(c.name)))
        query("ALTER TABLE " + std::string(t.name) + " ADD COLUMN " + std::string(c.name) + " " +
              clickhouse_type(c.type));
}

std::string ClickHouseWriter::query(const std::string& sql) {
  std::optional<HttpResponse> r;
  std::string unreachable;
  int attempts = 0;
  // Only a request whose connection was refused is retried: nothing reached
  // the server, so a retried INSERT cannot duplicate rows. A timeout is not
  // retried for the same reason (the server may have the rows).
  const Backoff backoff;
  retry_with_backoff(backoff, [&](int) {
    attempts++;
    try {
      r = http_.post(url_, sql, "text/plain; charset=utf-8");
      return true;
    } catch (const HttpUnreachable& e) {
      unreachable = e.what();
      return !e.worth_retrying;
    }
  });
  if (!r)
    throw ExportError("ClickHouse unreachable" +
                      (attempts > 1 ? " after " + std::to_string(attempts) + " attempts" : std::string()) + ": " +
                      unreachable);
  requests_++;
  const std::string what = sql.substr(0, std::min<std::size_t>(sql.find('\n'), 120));
  if (!r->ok())
    throw ExportError("ClickHouse at " + printable_excerpt(url_) + " refused \"" + printable_excerpt(what) +
                      "\": " + r->describe());
  // Our statements are answered with a count or nothing; a longer answer
  // was cut at the cap and cannot be trusted.
  if (r->body_truncated)
    throw ExportError("ClickHouse at " + printable_excerpt(url_) + " answered \"" + printable_excerpt(what) +
                      "\" with more than " + std::to_string(http_.limits().max_body) + " bytes");
  return r->body;
}

bool ClickHouseWriter::has_recording(const ContentHash& hash) {
  std::string n = query("SELECT count() FROM recordings WHERE id = " + std::to_string(hash.id()) +
                        " AND content_hash = '" + hash.hex() + "'");
  return !n.empty() && n[0] != '0';
}

void ClickHouseWriter::begin_recording(std::int64_t id) {
  // Rows of an export that died before its recordings row was written: the
  // recording is not marked present, so clear them before writing it again.
  const std::string where = " WHERE recording_id = " + std::to_string(id);
  for (const TableSchema& t : export_tables()) {
    if (t.id == TableId::Recordings) continue;
    std::string n = query("SELECT count() FROM " + std::string(t.name) + where);
    if (!n.empty() && n[0] != '0') query("ALTER TABLE " + std::string(t.name) + " DELETE" + where);
  }
  for (auto& b : batches_) b.clear();
}

void ClickHouseWriter::insert(TableId id, const Value* values) {
  std::string& out = batches_[static_cast<int>(id)];
  if (out.empty()) out = insert_prefix(id);
  const TableSchema& t = table(id);
  out += '{';
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    if (i) out += ',';
    out += '"';
    out += t.columns[i].name;
    out += "\":";
    const Value& v = values[i];
    switch (v.kind) {
      case Value::Kind::Null: out += "null"; break;
      case Value::Kind::Int: json::append_int(out, v.i); break;
      case Value::Kind::Text: json::append_string(out, v.s); break;
    }
  }
  out += "}\n";
  if (out.size() >= batch_bytes_) flush(id);
}

void ClickHouseWriter::flush(TableId id) {
  std::string& out = batches_[static_cast<int>(id)];
  if (out.empty()) return;
  query(out);
  out.clear();
}

void ClickHouseWriter::commit_recording() {
  for (const TableSchema& t : export_tables())
    if (t.id != TableId::Recordings) flush(t.id);
  flush(TableId::Recordings);
}

void ClickHouseWriter::abort_recording() {
  for (auto& b : batches_) b.clear();
}

}  // namespace proctrace
