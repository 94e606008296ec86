#include "analyze/json_out.h"

#include <string>

#include "io/json_text.h"

namespace proctrace {

void write_json(OutputFile& out, const Json& doc) {
  out.write(doc.dump(2, ' ', false, Json::error_handler_t::replace));
  out.write("\n");
}

namespace {

std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

// The members of an object, without its braces, each followed by ", ".
void append_members(std::string& b, const Json& object) {
  for (auto& [key, value] : object.items()) {
    b += dump(Json(key));
    b += ": ";
    b += dump(value);
    b += ", ";
  }
}

}  // namespace

JsonListWriter::JsonListWriter(OutputFile& out, const Json& head, std::string_view list_key) : out_(out) {
  std::string& b = out_.buffer();
  b += '{';
  append_members(b, head);
  b += dump(Json(list_key));
  b += ": [";
}

void JsonListWriter::add(const Json& item) {
  std::string& b = out_.buffer();
  b += first_ ? "\n" : ",\n";
  first_ = false;
  b += dump(item);
  out_.maybe_flush();
}

std::string& JsonListWriter::begin_row() {
  std::string& b = out_.buffer();
  b += first_ ? "\n" : ",\n";
  first_ = false;
  return b;
}

namespace {

// Printable ASCII is the common case and needs no help; anything else
// (control bytes, UTF-8, invalid bytes) goes through nlohmann so that its
// escapes and replacements stay exactly what Json::dump() prints.
void append_json_string(std::string& b, std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x80) {
      b += dump(Json(std::string(s)));
      return;
    }
  }
  b += '"';
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '"' && s[i] != '\\') continue;
    b.append(s.data() + run, i - run);
    b += '\\';
    b += s[i];
    run = i + 1;
  }
  b.append(s.data() + run, s.size() - run);
  b += '"';
}

}  // namespace

void JsonRow::key(std::string_view k) {
  if (!first_) b_ += ',';
  first_ = false;
  append_json_string(b_, k);
  b_ += ':';
}

JsonRow& JsonRow::num(std::string_view k, std::int64_t v) {
  key(k);
  json::append_int(b_, v);
  return *this;
}

JsonRow& JsonRow::unum(std::string_view k, std::uint64_t v) {
  key(k);
  json::append_uint(b_, v);
  return *this;
}

JsonRow& JsonRow::str(std::string_view k, std::string_view v) {
  key(k);
  append_json_string(b_, v);
  return *this;
}

JsonRow& JsonRow::boolean(std::string_view k, bool v) {
  key(k);
  b_ += v ? "true" : "false";
  return *this;
}

JsonRow& JsonRow::null(std::string_view k) {
  key(k);
  b_ += "null";
  return *this;
}

void JsonListWriter::next_list(std::string_view list_key) {
  std::string& b = out_.buffer();
  b += first_ ? "], " : "\n], ";
  b += dump(Json(list_key));
  b += ": [";
  first_ = true;
}

void JsonListWriter::finish(const Json& tail) {
  std::string& b = out_.buffer();
  b += first_ ? "]" : "\n]";
  if (!tail.empty()) {
    b += ", ";
    append_members(b, tail);
    b.resize(b.size() - 2);
  }
  b += "}\n";
  out_.flush();
}

Json exit_json(const Process& p) {
  if (p.exit.code) return Json{{"code", *p.exit.code}};
  if (p.exit.signal) return Json{{"signal", *p.exit.signal}, {"core_dumped", p.exit.core_dumped}};
  return nullptr;
}

}  // namespace proctrace
