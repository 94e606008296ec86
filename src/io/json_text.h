// Minimal, allocation-free JSON text helpers for the hot paths (writing and
// reading millions of event lines). nlohmann_json is used where speed does not
// matter (Meta/Stats lines, exports).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace proctrace::json {

// Appends s as a JSON string literal. Bytes that are not valid UTF-8 (argv is
// raw bytes) become U+FFFD so the output is always valid JSON.
void append_string(std::string& out, std::string_view s);
// Appends s with every byte that is not part of a valid UTF-8 sequence
// replaced by U+FFFD; returns whether anything was replaced.
bool append_valid_utf8(std::string& out, std::string_view s);
void append_int(std::string& out, std::int64_t v);
void append_uint(std::string& out, std::uint64_t v);

// A forward-only reader over one JSON text. Every method returns false on
// malformed input and leaves a message in error(); callers turn that into
// "file:line: ..." diagnostics.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  // Inline: called several times per field of millions of lines, and the
  // writers put no whitespace between tokens, so the first test settles it.
  void skip_ws() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\r' || *p_ == '\n')) ++p_;
  }
  bool at_end() { skip_ws(); return p_ == end_; }
  char peek() { skip_ws(); return p_ == end_ ? '\0' : *p_; }
  // Skips whitespace, then c if present.
  bool consume(char c) {
    skip_ws();
    if (p_ != end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }
  // As consume, but an error when absent.
  bool expect(char c) { return consume(c) || expected(c); }

  // Bytes that are not valid UTF-8 become U+FFFD (see replaced_invalid_utf8).
  bool read_string(std::string& out);
  // A string whose bytes can be used in place (ASCII, no escapes): fast path for keys.
  bool read_key(std::string_view& out, std::string& scratch);
  bool read_int(std::int64_t& out);
  bool read_uint(std::uint64_t& out);
  bool read_bool(bool& out);
  bool read_null();  // true and consumed when the next value is null
  bool skip_value();

  // True once a string held bytes that were not valid UTF-8, so the text
  // cannot be passed on as is.
  bool replaced_invalid_utf8() const { return replaced_invalid_utf8_; }
  const std::string& error() const { return error_; }
  std::size_t offset(std::string_view text) const { return static_cast<std::size_t>(p_ - text.data()); }
  // The text from the next token on (whitespace skipped), and a step over
  // part of it: for readers that recognize tokens they know in place.
  std::string_view rest() {
    skip_ws();
    return {p_, static_cast<std::size_t>(end_ - p_)};
  }
  void advance(std::size_t n) { p_ += n; }
  bool fail(std::string message);
  void prefix_error(const std::string& prefix) { error_ = prefix + error_; }

 private:
  bool skip_container(char open, char close);
  bool expected(char c);  // the error of expect
  const char* p_;
  const char* end_;
  std::string error_;
  int depth_ = 0;
  bool replaced_invalid_utf8_ = false;
};

}  // namespace proctrace::json
