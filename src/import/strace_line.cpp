#include "import/strace_line.h"

#include <algorithm>
#include <array>
#include <cstring>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "io/text_util.h"

namespace proctrace::strace {

namespace {

constexpr std::size_t npos = std::string_view::npos;

using text::is_digit;
using text::NumberResult;
using text::parse_decimal;

bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && std::memcmp(s.data(), prefix.data(), prefix.size()) == 0;
}
bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && std::memcmp(s.data() + s.size() - suffix.size(), suffix.data(), suffix.size()) == 0;
}

// Characters that matter while looking for the end of an argument list.
enum : std::uint8_t { kPlain, kQuote, kOpen, kCloseParen, kClose, kAngle, kSlash };
constexpr std::array<std::uint8_t, 256> make_classes() {
  std::array<std::uint8_t, 256> t{};
  t['"'] = kQuote;
  t['('] = t['['] = t['{'] = kOpen;
  t[')'] = kCloseParen;
  t[']'] = t['}'] = kClose;
  t['<'] = kAngle;
  t['/'] = kSlash;
  return t;
}
constexpr auto kClasses = make_classes();

// The next byte at or after i that matters for nesting (see kClasses), or n.
// 16 bytes at a time: most of a line is plain text.
std::size_t next_special(const char* p, std::size_t i, std::size_t n) {
#ifdef __SSE2__
  const __m128i quote = _mm_set1_epi8('"'), paren = _mm_set1_epi8(')'), open_sq = _mm_set1_epi8('['),
                close_sq = _mm_set1_epi8(']'), angle = _mm_set1_epi8('<'), slash = _mm_set1_epi8('/'),
                one = _mm_set1_epi8(1), fold = _mm_set1_epi8(static_cast<char>(0xDF));
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    __m128i folded = _mm_and_si128(v, fold);  // '{' -> '[', '}' -> ']'
    __m128i hit = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(_mm_or_si128(v, one), paren)),  // '(' and ')'
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(folded, open_sq), _mm_cmpeq_epi8(folded, close_sq)),
                     _mm_or_si128(_mm_cmpeq_epi8(v, angle), _mm_cmpeq_epi8(v, slash))));
    if (int mask = _mm_movemask_epi8(hit)) return i + static_cast<std::size_t>(__builtin_ctz(mask));
  }
#endif
  while (i < n && kClasses[static_cast<unsigned char>(p[i])] == kPlain) ++i;
  return i;
}

// The first of four bytes at or after i, or n.
std::size_t find_any(const char* p, std::size_t i, std::size_t n, char a, char b, char c, char d) {
#ifdef __SSE2__
  const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b), vc = _mm_set1_epi8(c), vd = _mm_set1_epi8(d);
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)),
                               _mm_or_si128(_mm_cmpeq_epi8(v, vc), _mm_cmpeq_epi8(v, vd)));
    if (int mask = _mm_movemask_epi8(hit)) return i + static_cast<std::size_t>(__builtin_ctz(mask));
  }
#endif
  for (; i < n; ++i)
    if (p[i] == a || p[i] == b || p[i] == c || p[i] == d) return i;
  return n;
}

// Index of the quote closing the string whose body starts at i.
std::size_t skip_string(std::string_view s, std::size_t i) {
  const char* p = s.data();
  const std::size_t n = s.size();
  while (i < n) {
    const void* q = std::memchr(p + i, '"', n - i);
    if (!q) return npos;
    std::size_t j = static_cast<const char*>(q) - p;
    // An escaped quote has an odd number of backslashes before it.
    std::size_t k = j;
    while (k > i && p[k - 1] == '\\') --k;
    if (((j - k) & 1) == 0) return j;
    i = j + 1;
  }
  return npos;
}

// s[i] == '<' opening an -y decoration: "3</path>", "3</dev/null<char 1:3>>",
// "5<UNIX-STREAM:[1->2]>", "7<TCP:[[::1]:80->[::1]:5000]>". Returns the index
// of the closing '>'.
std::size_t skip_decoration(std::string_view s, std::size_t i) {
  // Most are plain paths: the first '>' closes them when nothing nests.
  std::size_t first = find_any(s.data(), i + 1, s.size(), '>', '<', '[', '\\');
  if (first < s.size() && s[first] == '>') return first;
  int angle = 0, bracket = 0;
  for (std::size_t j = i; j < s.size(); ++j) {
    switch (s[j]) {
      case '\\': ++j; break;
      case '[': ++bracket; break;
      case ']': if (bracket) --bracket; break;
      case '<': if (!bracket) ++angle; break;
      case '>':
        if (!bracket && --angle == 0) return j;
        break;
      default: break;
    }
  }
  // Unbalanced brackets in an odd path: settle for the first '>'.
  return s.find('>', i);
}

// strace's own markers inside a line: "<unfinished ...>", "<... x resumed>",
// "<pid changed to N ...>", "<detached ...>", "<unavailable>".
bool is_marker(std::string_view s, std::size_t i) {
  std::string_view r = s.substr(i);
  return starts_with(r, "<unfinished") || starts_with(r, "<...") || starts_with(r, "<pid changed") ||
         starts_with(r, "<detached") || starts_with(r, "<unavailable>");
}

// The largest whole seconds whose nanoseconds (plus a fraction) fit in Nanos.
constexpr std::uint64_t kMaxSeconds = UINT64_MAX / 1'000'000'000ULL - 1;
// Exit statuses are one byte.
constexpr std::uint64_t kMaxExitCode = 255;

// Digits at s[i] up to max; false when there are none or they exceed max
// (the digits are consumed either way).
bool parse_uint(std::string_view s, std::size_t& i, std::uint64_t& out, std::uint64_t max = UINT64_MAX) {
  return parse_decimal(s, i, out, max) == NumberResult::Ok;
}

}  // namespace

bool parse_pid(std::string_view s, std::size_t& i, Pid& out) {
  std::size_t j = i;
  std::uint64_t v = 0;
  if (!parse_uint(s, j, v, kPidMaxLimit)) return false;
  out = static_cast<Pid>(v);
  i = j;
  return true;
}

namespace {

// ".123456" after seconds: fraction of any precision, in ns.
// Steps i over prefix when s continues with it there.
bool consume_prefix(std::string_view s, std::size_t& i, std::string_view prefix) {
  if (s.substr(i, prefix.size()) != prefix) return false;
  i += prefix.size();
  return true;
}

Nanos parse_fraction(std::string_view s, std::size_t& i) {
  static constexpr Nanos kScale[10] = {1'000'000'000, 100'000'000, 10'000'000, 1'000'000, 100'000,
                                       10'000,        1'000,       100,        10,        1};
  Nanos frac = 0;
  std::size_t start = i, n = s.size();
  const char* p = s.data();
  while (i < n && is_digit(p[i])) {
    if (i - start < 9) frac = frac * 10 + static_cast<Nanos>(p[i] - '0');
    ++i;
  }
  return frac * kScale[std::min<std::size_t>(i - start, 9)];
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "[pid  123] ", "[pid 123<comm>] ", "123   " (-o), "123<comm> ".
bool parse_pid_prefix(std::string_view s, std::size_t& i, Pid& pid) {
  if (starts_with(s.substr(i), "[pid ")) {
    std::size_t j = i + 5;
    while (j < s.size() && s[j] == ' ') ++j;
    Pid v;
    if (!parse_pid(s, j, v)) return false;
    if (j < s.size() && s[j] == '<') {
      std::size_t close = s.find('>', j);
      if (close == npos) return false;
      j = close + 1;
    }
    if (j >= s.size() || s[j] != ']') return false;
    ++j;
    while (j < s.size() && s[j] == ' ') ++j;
    pid = v;
    i = j;
    return true;
  }
  if (i < s.size() && is_digit(s[i])) {
    std::size_t j = i;
    Pid v;
    // Pids have at most 7 digits (pid_max <= 4194304); -ttt seconds have 10.
    if (!parse_pid(s, j, v) || j >= s.size()) return false;
    if (s[j] == '<') {
      std::size_t close = s.find('>', j);
      if (close == npos) return false;
      j = close + 1;
    }
    if (j >= s.size() || s[j] != ' ') return false;
    while (j < s.size() && s[j] == ' ') ++j;
    pid = v;
    i = j;
    return true;
  }
  return false;
}

bool fail(Line& out, const char* why) {
  out.kind = LineKind::Bad;
  out.error = why;
  return false;
}

// False with out.error set when the digits are a timestamp out of range,
// without it when they are no timestamp at all.
bool parse_timestamp(std::string_view s, std::size_t& i, Line& out) {
  std::size_t j = i;
  std::uint64_t first;
  NumberResult r = parse_decimal(s, j, first, kMaxSeconds);
  if (r == NumberResult::OutOfRange) return fail(out, "timestamp out of range");
  if (r != NumberResult::Ok || j >= s.size()) return false;
  if (s[j] == ':') {  // HH:MM:SS[.frac]
    std::uint64_t mm, ss;
    ++j;
    if (!parse_uint(s, j, mm) || j >= s.size() || s[j] != ':') return false;
    ++j;
    if (!parse_uint(s, j, ss)) return false;
    Nanos frac = 0;
    if (j < s.size() && s[j] == '.') {
      std::size_t start = ++j;
      frac = parse_fraction(s, j);
      out.time_digits = static_cast<std::uint8_t>(std::min<std::size_t>(j - start, 9));
    }
    if (first > 23 || mm > 59 || ss > 60) return fail(out, "time of day out of range (HH:MM:SS up to 23:59:60)");
    out.time = ((first * 60 + mm) * 60 + ss) * 1'000'000'000ULL + frac;
    out.time_format = TimeFormat::TimeOfDay;
  } else if (s[j] == '.') {  // seconds.frac
    std::size_t start = ++j;
    out.time = first * 1'000'000'000ULL + parse_fraction(s, j);
    out.time_digits = static_cast<std::uint8_t>(std::min<std::size_t>(j - start, 9));
    out.time_format = first < kRelativeSecondsBelow ? TimeFormat::Relative : TimeFormat::Epoch;
  } else if (s[j] == ' ' && j - i >= 8) {  // -ttt at second precision
    out.time = first * 1'000'000'000ULL;
    out.time_format = TimeFormat::Epoch;
  } else {
    return false;
  }
  if (j >= s.size() || s[j] != ' ') return false;
  while (j < s.size() && s[j] == ' ') ++j;
  // -r with -t/-tt/-ttt: "12:00:00.000001 (+     0.000012) ": the absolute
  // stamp says it all, the delta is skipped.
  if (consume_prefix(s, j, "(+")) {
    std::size_t close = s.find(") ", j);
    if (close == npos) return false;
    j = close + 2;
    while (j < s.size() && s[j] == ' ') ++j;
  }
  i = j;
  return true;
}

// Calls whose result is a pid (or a session id, which is one): the importer
// takes it for a process.
bool returns_pid(std::string_view name) {
  return name == "clone" || name == "clone2" || name == "clone3" || name == "fork" || name == "vfork" ||
         name == "setsid" || name == "getpid" || name == "gettid" || name == "set_tid_address";
}

// After the closing parenthesis: " = 3</etc/passwd> <0.000012>",
// " = -1 ENOENT (No such file or directory) (INJECTED) <0.000003>", " = ? <unavailable>".
bool parse_result(std::string_view s, Line& out) {
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  if (i >= s.size() || s[i] != '=') return fail(out, "expected ' = ' and a return value after the arguments");
  ++i;
  while (i < s.size() && s[i] == ' ') ++i;
  if (i >= s.size()) return fail(out, "expected a return value after '='");
  if (s[i] == '?') {
    ++i;
  } else {
    bool neg = false;
    if (s[i] == '-') {
      neg = true;
      ++i;
    }
    // Decimal results are the kernel's signed long; hex ones (addresses)
    // its 64 bits as they are.
    std::uint64_t v = 0;
    NumberResult r;
    if (i + 1 < s.size() && s[i] == '0' && s[i + 1] == 'x') {
      i += 2;
      r = text::parse_hex(s, i, v);
      if (r == NumberResult::None) return fail(out, "expected hex digits after '0x' in the return value");
    } else {
      r = parse_decimal(s, i, v, neg ? std::uint64_t{1} << 63 : std::uint64_t{INT64_MAX});
      if (r == NumberResult::None) return fail(out, "expected a number or '?' as return value");
    }
    if (r == NumberResult::OutOfRange) return fail(out, "return value out of range (more than 64 bits)");
    out.ret = static_cast<std::int64_t>(neg ? ~v + 1 : v);
    out.ret_known = true;
    if (i < s.size() && s[i] == '<') {
      std::size_t close = skip_decoration(s, i);
      if (close == npos) return fail(out, "unterminated <...> after the return value");
      std::string_view inner = s.substr(i + 1, close - i - 1);
      // "/dev/null<char 1:3>": keep the path, not the device.
      std::size_t nested = inner.find('<');
      out.ret_path = nested == npos ? inner : inner.substr(0, nested);
      i = close + 1;
    }
  }
  // The rest: errno name, parenthesised notes, (INJECTED), <duration>.
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
      continue;
    }
    if (c == '(') {
      std::size_t close = find_args_end(s.substr(i + 1), 1);
      if (close == npos) return fail(out, "unbalanced parentheses after the return value");
      std::string_view note = s.substr(i + 1, close);
      if (note == "INJECTED") out.injected = true;
      i += close + 2;
      continue;
    }
    if (c == '<') {
      std::size_t close = s.find('>', i);
      if (close == npos) return fail(out, "unterminated <...> at the end of the line");
      std::string_view inner = s.substr(i + 1, close - i - 1);
      if (inner != "unavailable" && !parse_seconds(inner, out.duration))
        return fail(out, "expected a duration like <0.000123> at the end of the line");
      i = close + 1;
      continue;
    }
    std::size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
    std::string_view word = s.substr(start, i - start);
    // "ENOENT", "ERESTARTSYS"; other words (decoders' notes) carry nothing we count.
    if (out.errno_name.empty() && word.size() > 1 && word[0] == 'E' && word[1] >= 'A' && word[1] <= 'Z')
      out.errno_name = word;
  }
  if (out.ret_known && out.ret > static_cast<std::int64_t>(kPidMaxLimit) && returns_pid(out.name))
    return fail(out, "a pid out of range (above PID_MAX_LIMIT) as the result of a call that returns pids");
  return true;
}

// A call's arguments ending in " <unfinished ...>" before the closing
// parenthesis: the process left the call without a result.
void strip_cut_short(Line& out) {
  std::string_view a = trim_right(out.args);
  if (ends_with(a, "<unfinished ...>")) {
    out.cut_short = true;
    a.remove_suffix(16);
    out.args = trim_right(a);
  }
}

// name(args...: unfinished, or complete with a result.
bool parse_call(std::string_view s, std::size_t i, Line& out) {
  std::size_t start = i;
  while (i < s.size() && (is_alnum(s[i]) || s[i] == '?')) ++i;
  if (i == start || i >= s.size() || s[i] != '(')
    return fail(out, "expected a syscall like name(args) = result, a signal (---) or an exit (+++)");
  out.name = s.substr(start, i - start);
  std::string_view rest = s.substr(i + 1);
  std::string_view trimmed = trim_right(rest);
  std::size_t lt = ends_with(trimmed, "...>") ? trimmed.rfind('<') : npos;
  if (lt != npos) {  // "...>" without '<' is no marker (found by fuzz_strace_line)
    std::string_view marker = trimmed.substr(lt);
    bool known = true;
    if (starts_with(marker, "<unfinished")) {
    } else if (starts_with(marker, "<pid changed to ")) {
      std::size_t j = 16;
      if (!parse_pid(marker, j, out.pid_changed_to)) return fail(out, "expected a pid in <pid changed to N ...>");
    } else if (starts_with(marker, "<detached")) {
      out.detached = true;
    } else {
      known = false;
    }
    if (known) {
      out.kind = LineKind::Unfinished;
      std::string_view args = rest.substr(0, lt);
      if (!args.empty() && args.back() == ' ') args.remove_suffix(1);
      out.args = args;
      out.arg_path = leading_fd_path(args);
      return true;
    }
  }
  std::size_t end = find_args_end(rest, 1, &out.arg_path);
  if (end == npos) return fail(out, "the argument list does not close (line cut off?)");
  out.kind = LineKind::Syscall;
  out.args = rest.substr(0, end);
  strip_cut_short(out);
  return parse_result(rest.substr(end + 1), out);
}

// <... name resumed>rest) = result
bool parse_resumed(std::string_view s, std::size_t i, Line& out) {
  i += 5;  // "<... "
  std::size_t start = i;
  while (i < s.size() && (is_alnum(s[i]) || s[i] == '?')) ++i;
  out.name = s.substr(start, i - start);
  if (out.name.empty() || !starts_with(s.substr(i), " resumed"))
    return fail(out, "expected '<... NAME resumed>'");
  std::size_t close = s.find('>', i);
  if (close == npos) return fail(out, "expected '>' after '<... NAME resumed'");
  std::string_view rest = s.substr(close + 1);
  std::string_view trimmed = trim_right(rest);
  if (ends_with(trimmed, "<unfinished ...>") && find_args_end(rest, 1) == npos) {
    // Resumed and cut again before the result: nothing more to learn.
    out.kind = LineKind::Resumed;
    out.cut_short = true;
    out.args = trim_right(trimmed.substr(0, trimmed.size() - 16));
    return true;
  }
  std::size_t end = find_args_end(rest, 1);
  if (end == npos) return fail(out, "the resumed argument list does not close (line cut off?)");
  out.kind = LineKind::Resumed;
  out.args = rest.substr(0, end);
  strip_cut_short(out);
  return parse_result(rest.substr(end + 1), out);
}

bool parse_exit_line(std::string_view s, Line& out) {
  // "+++ exited with 0 +++", "+++ killed by SIGSEGV (core dumped) +++",
  // "+++ superseded by execve in pid 123 +++"
  std::string_view t = trim_right(s);
  if (!ends_with(t, " +++")) return fail(out, "expected ' +++' at the end of an exit line");
  t = t.substr(4, t.size() - 8);
  std::size_t i = 0;
  std::uint64_t v;
  if (starts_with(t, "exited with ")) {
    i = 12;
    NumberResult r = parse_decimal(t, i, v, kMaxExitCode);
    if (r == NumberResult::OutOfRange) return fail(out, "exit code out of range (0-255) in '+++ exited with N +++'");
    if (r != NumberResult::Ok || i != t.size()) return fail(out, "expected an exit code in '+++ exited with N +++'");
    out.kind = LineKind::Exited;
    out.exit_code = static_cast<int>(v);
    return true;
  }
  if (starts_with(t, "killed by ")) {
    std::string_view rest = t.substr(10);
    if (ends_with(rest, " (core dumped)")) {
      out.core_dumped = true;
      rest.remove_suffix(14);
    }
    out.signal_name = rest;
    out.signal = signal_number(rest);
    if (!out.signal) return fail(out, "unknown signal in '+++ killed by SIG... +++'");
    out.kind = LineKind::Killed;
    return true;
  }
  if (starts_with(t, "superseded by execve in pid ")) {
    i = 28;
    if (!parse_pid(t, i, out.superseded_by)) return fail(out, "expected a pid in '+++ superseded by execve in pid N +++'");
    out.kind = LineKind::Superseded;
    return true;
  }
  return fail(out, "unknown '+++' line (expected exited with, killed by or superseded by)");
}

bool parse_signal_line(std::string_view s, Line& out) {
  std::string_view t = trim_right(s);
  if (!ends_with(t, " ---")) return fail(out, "expected ' ---' at the end of a signal line");
  t = t.substr(4);
  if (starts_with(t, "stopped by ")) t.remove_prefix(11);
  std::size_t i = 0;
  while (i < t.size() && is_alnum(t[i])) ++i;
  out.signal_name = t.substr(0, i);
  out.signal = signal_number(out.signal_name);
  out.kind = LineKind::Signal;
  return true;
}

}  // namespace

std::size_t find_args_end(std::string_view s, int depth) { return find_args_end(s, depth, nullptr); }

std::size_t find_args_end(std::string_view s, int depth, std::string_view* first_fd_path) {
  const char* p = s.data();
  const std::size_t n = s.size();
  for (std::size_t i = 0; (i = next_special(p, i, n)) < n; ++i) {
    switch (kClasses[static_cast<unsigned char>(p[i])]) {
      case kQuote:
        i = skip_string(s, i + 1);
        if (i == npos) return npos;
        break;
      case kOpen:
        ++depth;
        break;
      case kCloseParen:
        if (--depth == 0) return i;
        break;
      case kClose:
        if (depth > 1) --depth;
        break;
      case kAngle:
        if (i > 0 && is_alnum(p[i - 1])) {
          std::size_t close = skip_decoration(s, i);
          if (close == npos) return npos;
          // "3</path>, ...": the first argument is a decorated fd.
          if (first_fd_path && depth == 1 && first_fd_path->empty()) {
            std::size_t d = 0;
            while (d < i && is_digit(p[d])) ++d;
            if (d == i) *first_fd_path = decoration_path(s.substr(i + 1, close - i - 1));
          }
          i = close;
        } else if (is_marker(s, i)) {
          i = s.find('>', i);
          if (i == npos) return npos;
        }
        break;
      case kSlash:
        if (i + 1 < n && p[i + 1] == '*') {
          std::size_t close = s.find("*/", i + 2);
          if (close == npos) return npos;
          i = close + 1;
        }
        break;
      default: break;
    }
  }
  return npos;
}

std::string_view leading_fd_path(std::string_view args) {
  std::size_t i = 0;
  while (i < args.size() && is_digit(args[i])) ++i;
  if (i == 0 || i >= args.size() || args[i] != '<') return {};
  std::size_t close = skip_decoration(args, i);
  if (close == npos) return {};
  return decoration_path(args.substr(i + 1, close - i - 1));
}

std::string_view decoration_path(std::string_view inner) {
  if (find_any(inner.data(), 0, inner.size(), '<', '[', '\\', '<') == inner.size()) return inner;
  int bracket = 0;
  for (std::size_t j = 0; j < inner.size(); ++j) {
    char c = inner[j];
    if (c == '\\') ++j;
    else if (c == '[') ++bracket;
    else if (c == ']' && bracket) --bracket;
    else if (c == '<' && !bracket) return inner.substr(0, j);
  }
  return inner;
}

bool parse_seconds(std::string_view text, Nanos& out) {
  std::size_t i = 0;
  std::uint64_t secs;
  if (!parse_uint(text, i, secs, kMaxSeconds)) return false;
  Nanos frac = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    frac = parse_fraction(text, i);
  }
  if (i != text.size()) return false;
  out = secs * 1'000'000'000ULL + frac;
  return true;
}

int signal_number(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "",       "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",    "SIGTRAP", "SIGABRT", "SIGBUS",
      "SIGFPE", "SIGKILL", "SIGUSR1",   "SIGSEGV", "SIGUSR2",   "SIGPIPE", "SIGALRM", "SIGTERM",
      "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG",
      "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO",  "SIGPWR",  "SIGSYS"};
  for (int i = 1; i < 32; ++i)
    if (name == kNames[i]) return i;
  if (name == "SIGIOT") return 6;
  if (name == "SIGPOLL") return 29;
  if (name == "SIGRTMIN") return 32;
  std::size_t i = 0;
  std::uint64_t v;
  if (starts_with(name, "SIGRT_")) {
    i = 6;
    if (parse_uint(name, i, v, 32) && i == name.size()) return 32 + static_cast<int>(v);
  } else if (starts_with(name, "SIG")) {  // "SIG40": a number strace had no name for
    i = 3;
    if (parse_uint(name, i, v, 127) && i == name.size() && v > 0) return static_cast<int>(v);
  }
  return 0;
}

std::size_t embedded_strace_message(std::string_view text) {
  std::string_view t = trim_right(text);
  if (!ends_with(t, " attached") && !ends_with(t, " detached")) return npos;
  std::size_t pos = t.rfind("strace: Process ");
  if (pos == npos || pos == 0) return npos;
  return pos;
}

bool parse_continuation(std::string_view s, std::string_view name, Line& out) {
  out.reset();
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  std::size_t end = find_args_end(s, 1);
  if (end == npos) return fail(out, "expected the rest of the unfinished call above");
  out.kind = LineKind::Resumed;
  out.name = name;
  out.args = s.substr(0, end);
  strip_cut_short(out);
  return parse_result(s.substr(end + 1), out);
}

bool parse_line(std::string_view s, Line& out) {
  out.reset();
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  if (s.empty()) return true;  // Empty
  std::size_t i = 0;
  switch (s[0]) {
    case 's':
      if (starts_with(s, "strace: ")) {
        out.kind = LineKind::StraceMessage;
        return true;
      }
      break;
    case '%':
      if (starts_with(s, "% time")) {
        out.kind = LineKind::SummaryHeader;
        return true;
      }
      break;
    case ' ':
      // -k stack frames " > /lib/libc.so.6(read+0x12) [0x...]", -e write=
      // hex dumps " | 00000  68 65 ...", a stray " <detached ...>".
      if (starts_with(s, " > ") || starts_with(s, " | ") || trim_right(s) == " <detached ...>") {
        out.kind = LineKind::Ignored;
        return true;
      }
      break;
    case '[':
      if (starts_with(s, "[ Process PID=")) {
        out.kind = LineKind::Ignored;
        return true;
      }
      break;
    default: break;
  }
  parse_pid_prefix(s, i, out.pid);
  if (i < s.size() && is_digit(s[i]) && !parse_timestamp(s, i, out))
    return fail(out, out.error ? out.error : "expected a timestamp (HH:MM:SS[.frac] or seconds.frac) or a syscall name");
  if (i >= s.size()) return fail(out, "nothing after the pid/timestamp prefix");
  std::string_view body = s.substr(i);
  switch (body[0]) {
    case '-':
      if (starts_with(body, "--- ")) return parse_signal_line(body, out);
      break;
    case '+':
      if (starts_with(body, "+++ ")) return parse_exit_line(body, out);
      break;
    case '<':
      if (starts_with(body, "<... ")) return parse_resumed(body, 0, out);
      break;
    case '[':
      if (starts_with(body, "[ Process PID=")) {
        out.kind = LineKind::Ignored;
        return true;
      }
      break;
    case ' ':
      if (trim_right(body) == " <detached ...>" || trim_right(body) == "<detached ...>") {
        out.kind = LineKind::Ignored;
        return true;
      }
      break;
    default: break;
  }
  return parse_call(body, 0, out);
}

}  // namespace proctrace::strace
