// Reads an OTLP/HTTP request body of either encoding back as the OTLP/JSON
// shape ({"resourceSpans":[...]}), so one set of assertions covers both.
// A protobuf body is decoded by protoc against tests/export/otlp_trace.proto:
// a real protobuf implementation, not our encoder's idea of the format.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "protoc_text.h"
#include "test_support.h"

namespace proctrace::testing {

inline bool have_protoc() { return run({"protoc", "--version"}).exit_code == 0; }

// protoc's text format of the body; empty (and a test failure) when protoc
// cannot decode it.
inline std::string protoc_decode_otlp(const std::string& body) {
  auto r = run({"protoc", "--decode=otlp.ExportTraceServiceRequest",
                "--proto_path=" + std::string(source_dir()) + "/tests/export",
                std::string(source_dir()) + "/tests/export/otlp_trace.proto"},
               body);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "") << "protoc complained";
  return r.out;
}

inline std::string hex_of(const std::string& bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

inline nlohmann::json otlp_any_value(const Node& v) {
  if (const Node* s = v.child("string_value")) return {{"stringValue", c_unescape(s->value)}};
  if (const Node* i = v.child("int_value")) return {{"intValue", i->value}};
  if (const Node* b = v.child("bool_value")) return {{"boolValue", b->value == "true"}};
  if (const Node* a = v.child("array_value")) {
    nlohmann::json values = nlohmann::json::array();
    for (const Node& item : a->children) values.push_back(otlp_any_value(item));
    return {{"arrayValue", {{"values", values}}}};
  }
  ADD_FAILURE() << "an AnyValue with no known value";
  return {};
}

inline nlohmann::json otlp_attributes(const Node& parent) {
  nlohmann::json out = nlohmann::json::array();
  for (const Node& kv : parent.children)
    if (kv.key == "attributes")
      out.push_back({{"key", c_unescape(kv.get("key"))}, {"value", otlp_any_value(*kv.child("value"))}});
  return out;
}

// proto3 text format leaves out a scalar equal to its default.
inline std::string or_zero(const std::string& v) { return v.empty() ? "0" : v; }

inline nlohmann::json otlp_json_of_protobuf(const std::string& body) {
  Node root = parse_text_format(protoc_decode_otlp(body));
  nlohmann::json request = {{"resourceSpans", nlohmann::json::array()}};
  for (const Node& rs : root.children) {
    EXPECT_EQ(rs.key, "resource_spans");
    nlohmann::json r = {{"resource", {{"attributes", otlp_attributes(*rs.child("resource"))}}},
                        {"scopeSpans", nlohmann::json::array()}};
    for (const Node& ss : rs.children) {
      if (ss.key != "scope_spans") continue;
      const Node* scope = ss.child("scope");
      nlohmann::json spans = nlohmann::json::array();
      for (const Node& s : ss.children) {
        if (s.key != "spans") continue;
        nlohmann::json span = {{"traceId", hex_of(c_unescape(s.get("trace_id")))},
                               {"spanId", hex_of(c_unescape(s.get("span_id")))},
                               {"name", c_unescape(s.get("name"))},
                               {"kind", s.get("kind") == "SPAN_KIND_INTERNAL" ? 1 : -1},
                               {"startTimeUnixNano", or_zero(s.get("start_time_unix_nano"))},
                               {"endTimeUnixNano", or_zero(s.get("end_time_unix_nano"))},
                               {"attributes", otlp_attributes(s)}};
        if (s.child("parent_span_id")) span["parentSpanId"] = hex_of(c_unescape(s.get("parent_span_id")));
        if (const Node* st = s.child("status"))
          span["status"] = {{"code", st->get("code") == "STATUS_CODE_ERROR" ? 2 : -1},
                            {"message", c_unescape(st->get("message"))}};
        spans.push_back(span);
      }
      r["scopeSpans"].push_back({{"scope", {{"name", c_unescape(scope->get("name"))},
                                            {"version", c_unescape(scope->get("version"))}}},
                                 {"spans", spans}});
    }
    request["resourceSpans"].push_back(r);
  }
  return request;
}

// Either encoding: a JSON body starts with '{', a protobuf one with the tag
// of field 1 (0x0a).
inline nlohmann::json otlp_request(const std::string& body) {
  if (!body.empty() && body[0] == '{') return nlohmann::json::parse(body);
  return otlp_json_of_protobuf(body);
}

}  // namespace proctrace::testing
