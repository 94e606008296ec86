// Text pieces every analysis view prints the same way: times of day as
// strace -tt writes them, milliseconds, process labels, aligned tables.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "load/trace.h"

namespace proctrace {

// Trace timestamps as wall-clock time of day ("17:27:50.398391"), so a line
// of a view can be found in the strace log it came from. Logs without
// timestamps print "-".
class TimeOfDay {
 public:
  explicit TimeOfDay(const Meta& meta);
  void append(std::string& out, Nanos ts) const;
  std::string operator()(Nanos ts) const {
    std::string s;
    append(s, ts);
    return s;
  }

 private:
  enum class Mode { TimeOfDay, Epoch, None } mode_;
  std::int64_t offset_ = 0;
};

// Milliseconds with three decimals ("12.345"); µs resolution, as strace's -T.
void append_ms(std::string& out, Nanos ns);
std::string ms(Nanos ns);
// A share as "45.56%"; "-" when the whole is zero.
std::string percent(Nanos part, Nanos whole);

// How views name processes: the pid, and "#2", "#3"... after it for the
// second, third process that had the same pid (pid reuse).
class ProcessNames {
 public:
  explicit ProcessNames(const ProcessTree& tree);
  std::string pid(ProcessIndex p) const;
  // The last program's command line, all arguments, shell-quoted ("" if
  // none seen).
  static std::string command(const Process& p);

 private:
  const ProcessTree& tree_;
  std::vector<std::uint32_t> ordinal_;  // 0: the pid was never reused
};

// A table for the terminal: a header, a rule, rows; columns padded to their
// widest cell (in characters), numbers right-aligned. The last column is not
// padded, so long paths and commands do not leave trailing blanks.
class TextTable {
 public:
  struct Column {
    std::string title;
    bool right = false;
  };
  explicit TextTable(std::vector<Column> columns) : columns_(std::move(columns)) {}
  void add(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  bool empty() const { return rows_.empty(); }
  void write(std::string& out, std::string_view indent = "  ") const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

std::size_t display_width(std::string_view s);  // UTF-8 code points

}  // namespace proctrace
