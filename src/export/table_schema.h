// The tables every database export writes (SQLite and ClickHouse share them),
// described once as data so both dialects create and fill the same columns.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace proctrace {

enum class ColumnType : std::uint8_t { Int, NullableInt, Text, Bool };

struct Column {
  std::string_view name;
  ColumnType type;
};

enum class TableId : std::uint8_t { Recordings, Processes, ExecSegments, Events, Syscalls };
inline constexpr int kTableCount = 5;

struct TableSchema {
  TableId id;
  std::string_view name;
  std::vector<Column> columns;
  std::string_view key;                  // SQLite primary key; ClickHouse ORDER BY
  std::vector<std::string_view> indexes; // SQLite secondary indexes (column lists)
};

const std::vector<TableSchema>& export_tables();
const TableSchema& table(TableId id);

// One cell. Text points into the exporter's buffers: valid until the next row.
struct Value {
  enum class Kind : std::uint8_t { Null, Int, Text };
  Kind kind = Kind::Null;
  std::int64_t i = 0;
  std::string_view s;

  Value() = default;
  Value(std::int64_t v) : kind(Kind::Int), i(v) {}
  Value(std::string_view v) : kind(Kind::Text), s(v) {}
  static Value null() { return {}; }
  template <class T>
  static Value optional(const T& v) {
    return v ? Value(static_cast<std::int64_t>(*v)) : Value();
  }
};

}  // namespace proctrace
