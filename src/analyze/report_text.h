// Text pieces every analysis view prints the same way: times of day as
// strace -tt writes them, milliseconds, process labels, aligned tables.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "io/output_file.h"
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
// Cells are kept back to back, already made terminal-safe, in blocks of
// whole rows, and the widths are counted as rows arrive: a table of every
// exec of a million-event recording then costs its text, not a std::string
// per cell, nor a string doubling (and copying) its way to 30 MB.
class TextTable {
 public:
  struct Column {
    std::string title;
    bool right = false;
  };
  explicit TextTable(std::vector<Column> columns);
  // For a table whose size is known: no slack in the cell index.
  void reserve(std::size_t rows) { cell_end_.reserve(rows * columns_.size()); }
  // A cell per column: missing ones are empty, extra ones are dropped.
  void add(const std::vector<std::string>& cells);
  bool empty() const { return cell_end_.empty(); }
  void write(std::string& out, std::string_view indent = "  ") const;
  // The same, handing the output over row by row (out.maybe_flush()), so
  // a long table is never all in memory at once.
  void write(OutputFile& out, std::string_view indent = "  ") const;

 private:
  template <class AfterRow>
  void write_rows(std::string& out, std::string_view indent, AfterRow after_row) const;
  static constexpr std::size_t kBlockBytes = 1u << 20;

  std::vector<Column> columns_;
  std::vector<std::size_t> width_;     // by column: the widest cell so far
  // Every cell, terminal-safe, back to back; a block holds whole rows and
  // offsets count through the blocks as if they were one string.
  std::vector<std::string> blocks_;
  std::size_t text_size_ = 0;
  std::vector<std::size_t> cell_end_;  // where each cell ends in that text, row by row
  std::string row_;                    // the row being added
};

std::size_t display_width(std::string_view s);  // UTF-8 code points

}  // namespace proctrace
