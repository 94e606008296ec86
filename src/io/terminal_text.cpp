#include "io/terminal_text.h"

#include <cstdint>

namespace proctrace {

namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_byte_escape(std::string& out, unsigned char b) {
  out += "\\x";
  out += kHex[b >> 4];
  out += kHex[b & 15];
}

void append_code_point_escape(std::string& out, std::uint32_t cp) {
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(cp >> shift) & 15];
}

// Length of the valid UTF-8 sequence at s[i] and its code point; 0 if none.
std::size_t decode(std::string_view s, std::size_t i, std::uint32_t& cp) {
  auto b = static_cast<unsigned char>(s[i]);
  std::size_t n;
  std::uint32_t min;
  if (b >= 0xC2 && b <= 0xDF) n = 2, cp = b & 0x1F, min = 0x80;
  else if (b >= 0xE0 && b <= 0xEF) n = 3, cp = b & 0x0F, min = 0x800;
  else if (b >= 0xF0 && b <= 0xF4) n = 4, cp = b & 0x07, min = 0x10000;
  else return 0;
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;  // overlong, surrogate
  return n;
}

bool is_control_code_point(std::uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

bool needs_care(unsigned char b, bool keep_tab) { return b < 0x20 || b >= 0x7F ? !(keep_tab && b == '\t') : false; }

}  // namespace

void append_terminal_safe(std::string& out, std::string_view s, bool keep_tab) {
  std::size_t i = 0, plain = 0;
  while (i < s.size()) {
    auto b = static_cast<unsigned char>(s[i]);
    if (!needs_care(b, keep_tab)) {
      ++i;
      continue;
    }
    out.append(s.data() + plain, i - plain);
    if (b < 0x80) {
      if (b == '\n') out += "\\n";
      else if (b == '\r') out += "\\r";
      else if (b == '\t') out += "\\t";
      else append_byte_escape(out, b);
      ++i;
    } else {
      std::uint32_t cp = 0;
      std::size_t n = decode(s, i, cp);
      if (n == 0) {
        append_byte_escape(out, b);
        ++i;
      } else if (is_control_code_point(cp)) {
        append_code_point_escape(out, cp);
        i += n;
      } else {
        out.append(s.data() + i, n);
        i += n;
      }
    }
    plain = i;
  }
  out.append(s.data() + plain, s.size() - plain);
}

std::string terminal_safe(std::string_view s, bool keep_tab) {
  std::string out;
  out.reserve(s.size());
  append_terminal_safe(out, s, keep_tab);
  return out;
}

}  // namespace proctrace
