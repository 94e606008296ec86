#include "analyze/json_out.h"

#include <string>

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
