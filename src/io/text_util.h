// Byte-level helpers shared by the parsers (strace lines, strace arguments,
// JSON text): one definition of a digit, a hex digit, a trim, and number
// accumulation that says when a number does not fit instead of wrapping.
#pragma once

#include <cstdint>
#include <string_view>

namespace proctrace::text {

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

// 0-15 for a hex digit, -1 for anything else.
constexpr int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Without spaces and tabs at either end.
constexpr std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

enum class NumberResult : std::uint8_t {
  None,        // no digit at the start
  Ok,
  OutOfRange,  // digits that make a number larger than the limit
};

// Reads the decimal digits at s[i] (all of them, so i ends after the run
// whatever the result) into out, as long as the value stays <= max. A value
// over max leaves out unchanged and gives OutOfRange: a number never wraps.
[[nodiscard]] constexpr NumberResult parse_decimal(std::string_view s, std::size_t& i, std::uint64_t& out,
                                                   std::uint64_t max = UINT64_MAX) {
  std::size_t start = i;
  std::uint64_t v = 0;
  bool over = false;
  for (; i < s.size() && is_digit(s[i]); ++i) {
    auto d = static_cast<std::uint64_t>(s[i] - '0');
    if (over || v > (max - d) / 10) over = true;
    else v = v * 10 + d;
  }
  if (i == start) return NumberResult::None;
  if (over) return NumberResult::OutOfRange;
  out = v;
  return NumberResult::Ok;
}

// The same for hex digits (without any "0x").
[[nodiscard]] constexpr NumberResult parse_hex(std::string_view s, std::size_t& i, std::uint64_t& out,
                                               std::uint64_t max = UINT64_MAX) {
  std::size_t start = i;
  std::uint64_t v = 0;
  bool over = false;
  for (int d; i < s.size() && (d = hex_value(s[i])) >= 0; ++i) {
    auto u = static_cast<std::uint64_t>(d);
    if (over || v > (max - u) / 16) over = true;
    else v = v * 16 + u;
  }
  if (i == start) return NumberResult::None;
  if (over) return NumberResult::OutOfRange;
  out = v;
  return NumberResult::Ok;
}

}  // namespace proctrace::text
