#include "import/strace_args.h"

#include "import/strace_line.h"
#include "io/text_util.h"

namespace proctrace::strace {

namespace {

constexpr std::size_t npos = std::string_view::npos;

using text::hex_value;
using text::is_digit;
using text::trim;

// End of the top-level element starting at i: the next comma at depth 0 or
// the end of text.
std::size_t element_end(std::string_view s, std::size_t i) {
  int depth = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"') {
      std::size_t close = i + 1;
      while (close < s.size() && s[close] != '"') close += s[close] == '\\' ? 2 : 1;
      i = close;
    } else if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if (c == ')' || c == ']' || c == '}') {
      --depth;
    } else if (c == '<' && i > 0 && (is_digit(s[i - 1]) || (s[i - 1] >= 'A' && s[i - 1] <= 'Z'))) {
      // -y decoration: skip to its end with the same rules as the line parser.
      int angle = 0, bracket = 0;
      for (; i < s.size(); ++i) {
        char d = s[i];
        if (d == '\\') ++i;
        else if (d == '[') ++bracket;
        else if (d == ']' && bracket) --bracket;
        else if (d == '<' && !bracket) ++angle;
        else if (d == '>' && !bracket && --angle == 0) break;
      }
    } else if (c == ',' && depth <= 0) {
      return i;
    }
  }
  return s.size();
}

}  // namespace

std::string_view nth_arg(std::string_view args, std::size_t n) {
  std::size_t i = 0;
  for (std::size_t k = 0; i <= args.size(); ++k) {
    std::size_t end = element_end(args, i);
    if (k == n) return trim(args.substr(i, end - i));
    if (end >= args.size()) break;
    i = end + 1;
  }
  return {};
}

std::optional<std::string> decode_string(std::string_view text, bool* truncated) {
  text = trim(text);
  if (text.size() < 2 || text.front() != '"') return std::nullopt;
  std::string out;
  std::size_t i = 1;
  for (; i < text.size() && text[i] != '"'; ++i) {
    char c = text[i];
    if (c != '\\' || i + 1 >= text.size()) {
      out += c;
      continue;
    }
    char e = text[++i];
    switch (e) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'v': out += '\v'; break;
      case 'f': out += '\f'; break;
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'x': {
        int v = 0, digits = 0;
        while (digits < 2 && i + 1 < text.size() && hex_value(text[i + 1]) >= 0) {
          v = v * 16 + hex_value(text[++i]);
          ++digits;
        }
        out += static_cast<char>(v);
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          int v = e - '0', digits = 1;
          while (digits < 3 && i + 1 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '7') {
            v = v * 8 + (text[++i] - '0');
            ++digits;
          }
          out += static_cast<char>(v);
        } else {
          out += e;  // \\ \" \' and anything strace might add
        }
    }
  }
  if (i >= text.size()) return std::nullopt;  // no closing quote
  if (truncated && text.substr(i + 1).starts_with("...")) *truncated = true;
  return out;
}

bool decode_string_array(std::string_view text, std::vector<std::string>& out, bool& truncated) {
  text = trim(text);
  out.clear();
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') return false;
  std::string_view body = text.substr(1, text.size() - 2);
  std::size_t i = 0;
  while (i < body.size()) {
    std::size_t end = element_end(body, i);
    std::string_view element = trim(body.substr(i, end - i));
    if (element == "...") {
      truncated = true;
    } else if (!element.empty()) {
      bool cut = false;
      auto s = decode_string(element, &cut);
      if (!s) return false;
      // strace -s cut this argument: every view shows it cut, as strace did.
      if (cut) {
        *s += kCutMark;
        truncated = true;
      }
      out.push_back(std::move(*s));
    }
    i = end + 1;
  }
  return true;
}

std::string_view fd_path(std::string_view arg) {
  std::size_t i = 0;
  while (i < arg.size() && is_digit(arg[i])) ++i;
  if (i == 0 || i >= arg.size() || arg[i] != '<' || arg.back() != '>') return {};
  return decoration_path(arg.substr(i + 1, arg.size() - i - 2));
}

std::optional<std::int64_t> parse_int(std::string_view text) {
  text = trim(text);
  bool neg = false;
  if (!text.empty() && text[0] == '-') {
    neg = true;
    text.remove_prefix(1);
  }
  if (text.empty()) return std::nullopt;
  // Only a whole number that fits: one that would wrap is no number.
  std::uint64_t v = 0;
  std::size_t i = 0;
  text::NumberResult r;
  if (text.size() > 2 && text[0] == '0' && text[1] == 'x') {
    i = 2;
    r = text::parse_hex(text, i, v, neg ? std::uint64_t{1} << 63 : std::uint64_t{INT64_MAX});
  } else {
    r = text::parse_decimal(text, i, v, neg ? std::uint64_t{1} << 63 : std::uint64_t{INT64_MAX});
  }
  if (r != text::NumberResult::Ok || i != text.size()) return std::nullopt;
  return static_cast<std::int64_t>(neg ? ~v + 1 : v);
}

}  // namespace proctrace::strace
