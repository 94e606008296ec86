#include "io/json_text.h"

#include <charconv>
#include <cstring>

#include "io/text_util.h"

namespace proctrace::json {

namespace {

constexpr char kHex[] = "0123456789abcdef";

// Length of the valid UTF-8 sequence at s[i], or 0 if it is not valid.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  auto b = static_cast<unsigned char>(s[i]);
  auto cont = [&](std::size_t k) {
    return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
  };
  if (b >= 0xC2 && b <= 0xDF) return cont(1) ? 2 : 0;
  if (b >= 0xE0 && b <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    auto b1 = static_cast<unsigned char>(s[i + 1]);
    if (b == 0xE0 && b1 < 0xA0) return 0;   // overlong
    if (b == 0xED && b1 >= 0xA0) return 0;  // surrogates
    return 3;
  }
  if (b >= 0xF0 && b <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    auto b1 = static_cast<unsigned char>(s[i + 1]);
    if (b == 0xF0 && b1 < 0x90) return 0;
    if (b == 0xF4 && b1 >= 0x90) return 0;
    return 4;
  }
  return 0;
}

// The first byte from p on that a string reader must look at: '"', '\\',
// a control byte (< 0x20) or a byte of a multi-byte sequence (>= 0x80);
// end if none. Eight bytes at a time: keys and arguments are mostly plain.
const char* skip_plain(const char* p, const char* end) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
  while (end - p >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    // A byte's high bit is set where it is zero / below 0x20; exact for
    // the lowest such byte, which is all that is used (little endian).
    auto zero = [&](std::uint64_t v) { return (v - kOnes) & ~v & kHighs; };
    std::uint64_t quote = zero(w ^ (kOnes * '"'));
    std::uint64_t backslash = zero(w ^ (kOnes * '\\'));
    std::uint64_t control = (w - kOnes * 0x20) & ~w & kHighs;
    std::uint64_t special = quote | backslash | control | (w & kHighs);
    if (special) return p + __builtin_ctzll(special) / 8;
    p += 8;
  }
  while (p != end && *p != '"' && *p != '\\' && static_cast<unsigned char>(*p) >= 0x20 &&
         static_cast<unsigned char>(*p) < 0x80)
    ++p;
  return p;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

void append_string(std::string& out, std::string_view s) {
  out += '"';
  std::size_t run_start = 0;
  auto flush = [&](std::size_t i) { out.append(s.data() + run_start, i - run_start); };
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      std::size_t n = utf8_sequence_length(s, i);
      if (n) {
        i += n;
        continue;
      }
      flush(i);
      out += "\xEF\xBF\xBD";  // U+FFFD
      run_start = ++i;
      continue;
    }
    flush(i);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
    run_start = ++i;
  }
  flush(s.size());
  out += '"';
}

bool append_valid_utf8(std::string& out, std::string_view s) {
  bool replaced = false;
  for (std::size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      out += s[i++];
    } else if (std::size_t n = utf8_sequence_length(s, i)) {
      out.append(s.data() + i, n);
      i += n;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
      replaced = true;
    }
  }
  return replaced;
}

void append_int(std::string& out, std::int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void append_uint(std::string& out, std::uint64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

bool Cursor::fail(std::string message) {
  if (error_.empty()) error_ = std::move(message);
  return false;
}

bool Cursor::expected(char c) {
  if (p_ == end_) return fail(std::string("expected '") + c + "' but the line ended");
  return fail(std::string("expected '") + c + "' but found '" + *p_ + "'");
}

bool Cursor::read_string(std::string& out) {
  out.clear();
  skip_ws();
  if (p_ == end_ || *p_ != '"') return fail("expected a string");
  ++p_;
  for (;;) {
    const char* run = p_;
    p_ = skip_plain(p_, end_);
    out.append(run, p_);
    if (p_ == end_) return fail("unterminated string");
    if (static_cast<unsigned char>(*p_) >= 0x80) {
      // Files from other writers may hold raw argv bytes; the model only
      // ever sees valid UTF-8, as our own recorder writes it.
      std::string_view rest(p_, static_cast<std::size_t>(end_ - p_));
      if (std::size_t n = utf8_sequence_length(rest, 0)) {
        out.append(p_, n);
        p_ += n;
      } else {
        out += "\xEF\xBF\xBD";
        ++p_;
        replaced_invalid_utf8_ = true;
      }
      continue;
    }
    char c = *p_++;
    if (c == '"') return true;
    if (c != '\\') return fail("control character inside a string");
    if (p_ == end_) return fail("unterminated string");
    char e = *p_++;
    switch (e) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        auto read4 = [&](std::uint32_t& v) {
          if (end_ - p_ < 4) return false;
          v = 0;
          for (int i = 0; i < 4; ++i) {
            int h = text::hex_value(p_[i]);
            if (h < 0) return false;
            v = v * 16 + static_cast<std::uint32_t>(h);
          }
          p_ += 4;
          return true;
        };
        std::uint32_t cp;
        if (!read4(cp)) return fail("bad \\u escape");
        if (cp >= 0xD800 && cp < 0xDC00) {
          std::uint32_t lo;
          if (end_ - p_ >= 6 && p_[0] == '\\' && p_[1] == 'u') {
            p_ += 2;
            if (!read4(lo)) return fail("bad \\u escape");
            if (lo >= 0xDC00 && lo < 0xE000) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else {
              append_utf8(out, 0xFFFD);
              cp = lo;
            }
          } else {
            cp = 0xFFFD;
          }
        } else if (cp >= 0xDC00 && cp < 0xE000) {
          cp = 0xFFFD;  // lone low surrogate
        }
        append_utf8(out, cp);
        break;
      }
      default:
        return fail(std::string("bad escape '\\") + e + "'");
    }
  }
}

bool Cursor::read_key(std::string_view& out, std::string& scratch) {
  skip_ws();
  if (p_ == end_ || *p_ != '"') return fail("expected a field name");
  const char* start = p_ + 1;
  // Keys are a few plain letters: a byte at a time to the closing quote
  // beats the eight-byte scan's setup. An escape or a byte of a multi-byte
  // sequence sends the key through read_string; control bytes may stay in
  // a key used in place.
  for (const char* q = start; q != end_; ++q) {
    auto c = static_cast<unsigned char>(*q);
    if (c == '"') {
      out = std::string_view(start, static_cast<std::size_t>(q - start));
      p_ = q + 1;
      return true;
    }
    if (c == '\\' || c >= 0x80) break;
  }
  if (!read_string(scratch)) return false;
  out = scratch;
  return true;
}

bool Cursor::read_int(std::int64_t& out) {
  skip_ws();
  auto r = std::from_chars(p_, end_, out);
  if (r.ec != std::errc()) return fail("expected an integer");
  if (r.ptr != end_ && (*r.ptr == '.' || *r.ptr == 'e' || *r.ptr == 'E'))
    return fail("expected an integer, found a fraction");
  p_ = r.ptr;
  return true;
}

bool Cursor::read_uint(std::uint64_t& out) {
  skip_ws();
  if (p_ != end_ && *p_ == '-') return fail("expected a non-negative integer");
  auto r = std::from_chars(p_, end_, out);
  if (r.ec != std::errc()) return fail("expected a non-negative integer");
  if (r.ptr != end_ && (*r.ptr == '.' || *r.ptr == 'e' || *r.ptr == 'E'))
    return fail("expected an integer, found a fraction");
  p_ = r.ptr;
  return true;
}

bool Cursor::read_bool(bool& out) {
  skip_ws();
  if (end_ - p_ >= 4 && std::memcmp(p_, "true", 4) == 0) {
    p_ += 4;
    out = true;
    return true;
  }
  if (end_ - p_ >= 5 && std::memcmp(p_, "false", 5) == 0) {
    p_ += 5;
    out = false;
    return true;
  }
  return fail("expected true or false");
}

bool Cursor::read_null() {
  skip_ws();
  if (end_ - p_ >= 4 && std::memcmp(p_, "null", 4) == 0) {
    p_ += 4;
    return true;
  }
  return false;
}

bool Cursor::skip_container(char open, char close) {
  if (++depth_ > 64) return fail("nested too deeply");
  ++p_;  // open
  if (consume(close)) {
    --depth_;
    return true;
  }
  std::string scratch;
  for (;;) {
    if (open == '{') {
      std::string_view key;
      if (!read_key(key, scratch) || !expect(':')) return false;
    }
    if (!skip_value()) return false;
    if (consume(close)) break;
    if (!expect(',')) return false;
  }
  --depth_;
  return true;
}

bool Cursor::skip_value() {
  skip_ws();
  if (p_ == end_) return fail("expected a value but the line ended");
  switch (*p_) {
    case '{': return skip_container('{', '}');
    case '[': return skip_container('[', ']');
    case '"': {
      std::string s;
      return read_string(s);
    }
    case 't':
    case 'f': {
      bool b;
      return read_bool(b);
    }
    case 'n':
      if (read_null()) return true;
      return fail("expected a value");
    default: {
      const char* start = p_;
      if (p_ != end_ && *p_ == '-') ++p_;
      while (p_ != end_ && ((*p_ >= '0' && *p_ <= '9') || *p_ == '.' || *p_ == 'e' || *p_ == 'E' ||
                            *p_ == '+' || *p_ == '-'))
        ++p_;
      if (p_ == start) return fail(std::string("unexpected character '") + *p_ + "'");
      return true;
    }
  }
}

}  // namespace proctrace::json
