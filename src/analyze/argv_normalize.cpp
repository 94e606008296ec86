#include "analyze/argv_normalize.h"

#include <array>

namespace proctrace {

namespace {

bool is_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_letter(char c) { return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// 0: not under a temporary directory; 1: in a name directly inside one
// (/tmp/ccAb12Cd.s, where mkstemp puts its random letters); 2: deeper.
int temp_dir_depth(std::string_view arg, std::size_t pos) {
  static constexpr std::array<std::string_view, 3> kTempDirs = {"/tmp/", "/var/tmp/", "/dev/shm/"};
  for (auto dir : kTempDirs) {
    std::size_t at = arg.find(dir);
    if (at == std::string_view::npos || at + dir.size() > pos) continue;
    return arg.substr(at + dir.size(), pos - at - dir.size()).find('/') == std::string_view::npos ? 1 : 2;
  }
  return 0;
}

// The replacement for one alphanumeric run arg[from, to), or "" to keep it.
std::string_view replacement(std::string_view arg, std::size_t from, std::size_t to) {
  std::string_view run = arg.substr(from, to - from);
  bool digit = false, upper = false, hex_letter = false, all_hex = true, all_digits = true;
  for (char c : run) {
    digit |= is_digit(c);
    upper |= c >= 'A' && c <= 'Z';
    hex_letter |= is_hex_letter(c);
    all_hex &= is_digit(c) || is_hex_letter(c);
    all_digits &= is_digit(c);
  }
  if (run.size() >= 12 && all_hex && digit && hex_letter) return "<hex>";
  if (all_digits && run.size() >= 5) {
    char before = from ? arg[from - 1] : '\0';
    char after = to < arg.size() ? arg[to] : '\0';
    bool starts = before == '\0' || before == '/' || before == '=';
    bool ends = after == '\0' || after == '/';
    if (starts && ends) return "<n>";
  }
  // Random letters can all be lower case (/tmp/ccabcdef.s): directly inside
  // a temporary directory any run of 6 or more goes; deeper, where a
  // project's own files live, only ones with a digit or a capital.
  if (run.size() >= 6) {
    int depth = temp_dir_depth(arg, from);
    if (depth == 1 || (depth == 2 && (digit || upper))) return "*";
  }
  return {};
}

}  // namespace

std::string normalize_argument(std::string_view arg) {
  std::string out;
  out.reserve(arg.size());
  append_normalized_argument(out, arg);
  return out;
}

void append_normalized_argument(std::string& out, std::string_view arg) {
  // Runs shorter than any rule's minimum (5) stay as they are, so most of
  // an argument is copied in whole stretches, not looked at run by run.
  constexpr std::size_t kShortestReplaced = 5;
  std::size_t copied = 0;  // arg[0, copied) is in out
  std::size_t i = 0;
  while (i < arg.size()) {
    if (!is_alnum(arg[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < arg.size() && is_alnum(arg[j])) ++j;
    if (j - i >= kShortestReplaced) {
      if (std::string_view r = replacement(arg, i, j); !r.empty()) {
        out.append(arg, copied, i - copied);
        out += r;
        copied = j;
      }
    }
    i = j;
  }
  out.append(arg, copied);
}

}  // namespace proctrace
