// JSON documents of the analysis views (--json). Small results go through
// nlohmann::ordered_json (keys stay in the order written); lists that can
// hold millions of rows are streamed by their views with io/json_text.h.
#pragma once

#include <nlohmann/json.hpp>

#include "io/output_file.h"
#include "model/process_tree.h"

namespace proctrace {

using Json = nlohmann::ordered_json;

// Writes doc and a newline; bytes that are not UTF-8 (argv is raw bytes)
// become U+FFFD rather than failing.
void write_json(OutputFile& out, const Json& doc);

// A document whose main list can be long (a row per process, per open...):
// {"head": ..., "LIST": [
// {item},
// {item}
// ], "tail": ...}
// Each item is written as it comes, one compact object per line, so memory
// stays bounded by one item.
class JsonListWriter {
 public:
  // head: fields written before the list (an object, possibly empty).
  JsonListWriter(OutputFile& out, const Json& head, std::string_view list_key);
  void add(const Json& item);
  // As add, for lists with a row per process: the row is written straight
  // into the output, with no Json tree to build and free per row. Returns
  // the buffer to append one compact object to (see JsonRow); call
  // end_row() after it.
  std::string& begin_row();
  void end_row() { out_.maybe_flush(); }
  // Closes the list and opens another, also written item by item.
  void next_list(std::string_view list_key);
  // tail: fields written after the list.
  void finish(const Json& tail = Json::object());

 private:
  OutputFile& out_;
  bool first_ = true;
};

// One compact JSON object appended field by field, byte for byte as
// Json::dump() would print the same object ({"a":1,"b":"x"}).
class JsonRow {
 public:
  explicit JsonRow(std::string& b) : b_(b) { b_ += '{'; }
  JsonRow(const JsonRow&) = delete;
  JsonRow& operator=(const JsonRow&) = delete;
  ~JsonRow() { b_ += '}'; }

  JsonRow& num(std::string_view key, std::int64_t v);
  JsonRow& unum(std::string_view key, std::uint64_t v);
  JsonRow& str(std::string_view key, std::string_view v);
  JsonRow& boolean(std::string_view key, bool v);
  JsonRow& null(std::string_view key);

 private:
  void key(std::string_view k);
  std::string& b_;
  bool first_ = true;
};

// {"code": 0} / {"signal": 9, "core_dumped": false} / null while unknown.
Json exit_json(const Process& p);

}  // namespace proctrace
