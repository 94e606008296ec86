#include "export/http_checks.h"

#include <cstdio>

#include "export/export_error.h"

namespace proctrace {

namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (lower(s[i]) != prefix[i]) return false;
  return true;
}

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

void append_escaped(std::string& out, unsigned char c) {
  char buf[5];
  std::snprintf(buf, sizeof buf, "\\x%02x", c);
  out += buf;
}

// Length of the valid UTF-8 sequence starting at s[i], or 0.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  std::size_t n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
  if (!n || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((b(k) & 0xc0) != 0x80) return 0;
  // Overlong three- and four-byte forms, surrogates and values past U+10FFFF.
  if (n == 3 && ((c == 0xe0 && b(1) < 0xa0) || (c == 0xed && b(1) >= 0xa0))) return 0;
  if (n == 4 && ((c == 0xf0 && b(1) < 0x90) || (c == 0xf4 && b(1) >= 0x90))) return 0;
  return n;
}

}  // namespace

bool is_http_url(std::string_view url) {
  return starts_with_nocase(url, "http://") || starts_with_nocase(url, "https://");
}

void require_http_url(std::string_view url) {
  if (!is_http_url(url))
    throw ExportError("\"" + printable_excerpt(url) +
                      "\": only http:// and https:// URLs are accepted for exports");
}

bool is_header_name(std::string_view name) {
  if (name.empty()) return false;
  for (char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(ch) == std::string_view::npos) return false;
  }
  return true;
}

bool is_header_value(std::string_view value) {
  for (char ch : value)
    if (is_control(static_cast<unsigned char>(ch)) && ch != '\t') return false;
  return true;
}

bool check_header_line(std::string_view line, std::string& error) {
  const std::size_t colon = line.find(':');
  const std::string_view name = line.substr(0, colon);
  if (colon == std::string_view::npos || !is_header_name(name)) {
    error = "header name \"" + printable_excerpt(name, 64) + "\" is not a valid HTTP field name";
    return false;
  }
  if (!is_header_value(line.substr(colon + 1))) {
    error = "header \"" + std::string(name) +
            "\": its value holds a control character (CR, LF or another byte below 0x20); refused";
    return false;
  }
  return true;
}

std::string printable_excerpt(std::string_view text, std::size_t max_bytes) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size() && i < max_bytes) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (is_control(c))
        append_escaped(out, c);
      else
        out += static_cast<char>(c);
      ++i;
      continue;
    }
    const std::size_t n = utf8_length(text, i);
    // U+0080..U+009F (C1, e.g. U+009B, a one-character CSI) is C2 80..C2 9F.
    const bool c1 = n == 2 && c == 0xc2 && static_cast<unsigned char>(text[i + 1]) < 0xa0;
    if (n && i + n > max_bytes) break;  // never cut a character in two
    if (!n || c1) {
      append_escaped(out, c);
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  if (i < text.size()) out += "... (" + std::to_string(text.size()) + " bytes)";
  return out;
}

}  // namespace proctrace
