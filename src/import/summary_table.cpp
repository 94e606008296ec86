#include "import/summary_table.h"

#include <charconv>
#include <cstdlib>
#include <string>

namespace proctrace::strace {

namespace {

// A leading decimal number ("0.004021"). std::from_chars for double is
// missing from the libc++ of current Xcode (macOS); there, strtod on a copy,
// which the C locale proctrace runs in reads the same way.
bool parse_seconds(std::string_view token, double& out) {
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
  return std::from_chars(token.data(), token.data() + token.size(), out).ec == std::errc();
#else
  if (token.empty() || !(token[0] == '-' || token[0] == '.' || (token[0] >= '0' && token[0] <= '9'))) return false;
  std::string copy(token);
  char* end = nullptr;
  out = std::strtod(copy.c_str(), &end);
  return end != copy.c_str();
#endif
}

bool is_rule(std::string_view line) {
  if (line.empty() || line[0] != '-') return false;
  for (char c : line)
    if (c != '-' && c != ' ') return false;
  return true;
}

}  // namespace

void SummaryTableReader::start(std::string_view header) {
  active_ = true;
  header_ = std::string(header);
  columns_.clear();
  rows_.clear();
  rules_seen_ = 0;
}

SummaryTableReader::Result SummaryTableReader::feed(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (is_rule(line)) {
    if (rules_seen_++ == 0) {
      // The rule under the header: one run of dashes per column; name each
      // column by the header words above it.
      for (std::size_t i = 0; i < line.size();) {
        if (line[i] != '-') {
          ++i;
          continue;
        }
        Column c;
        c.begin = i;
        while (i < line.size() && line[i] == '-') ++i;
        c.end = i;
        std::size_t hb = std::min(c.begin, header_.size()), he = std::min(c.end, header_.size());
        std::string words = header_.substr(hb, he - hb);
        while (!words.empty() && words.front() == ' ') words.erase(0, 1);
        while (!words.empty() && words.back() == ' ') words.pop_back();
        c.name = words;
        columns_.push_back(std::move(c));
      }
    }
    return Result::More;
  }
  if (columns_.empty()) return Result::NotATableLine;
  // A row: numbers right-aligned to their column's end, the name last.
  StraceSummaryRow row;
  std::string_view name;
  std::size_t i = 0;
  bool any = false;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    if (i >= line.size()) break;
    std::size_t start = i;
    while (i < line.size() && line[i] != ' ') ++i;
    std::string_view token = line.substr(start, i - start);
    const Column* col = nullptr;
    for (auto& c : columns_)
      if (i > c.begin && i <= c.end) col = &c;
    if (!col) col = &columns_.back();  // a name longer than its column
    any = true;
    if (col->name == "syscall") {
      name = line.substr(start);  // names have no spaces; keep the rest as is
      while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
      break;
    }
    std::uint64_t v = 0;
    if (col->name == "calls" || col->name == "errors") {
      auto [p, ec] = std::from_chars(token.data(), token.data() + token.size(), v);
      if (ec != std::errc() || p != token.data() + token.size()) return Result::NotATableLine;
      (col->name == "calls" ? row.calls : row.errors) = v;
    } else if (col->name == "seconds") {
      double d = 0;
      if (!parse_seconds(token, d)) return Result::NotATableLine;
      row.seconds = d;
    }
  }
  if (!any || name.empty()) return Result::NotATableLine;
  if (name == "total") return Result::Done;
  row.name = std::string(name);
  rows_.push_back(std::move(row));
  return Result::More;
}

}  // namespace proctrace::strace
