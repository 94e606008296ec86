// strace's -c/-C summary table ("% time  seconds  usecs/call  calls  errors
// syscall"), read line by line. Columns are located from the dashed rule
// under the header, so -U column selections and blank error cells parse too.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "import/syscall_table.h"

namespace proctrace::strace {

class SummaryTableReader {
 public:
  enum class Result { More, Done, NotATableLine };

  // Starts a table at its header line ("% time ...").
  void start(std::string_view header);
  bool active() const { return active_; }
  // Feeds the next line. Done after the "total" row; NotATableLine when the
  // line cannot belong to the table (then the table ends there).
  Result feed(std::string_view line);
  // The rows read so far (without the total).
  std::vector<StraceSummaryRow> take_rows() {
    active_ = false;
    return std::move(rows_);
  }

 private:
  struct Column {
    std::size_t begin = 0, end = 0;  // [begin, end) in the line
    std::string name;
  };
  bool active_ = false;
  std::string header_;
  std::vector<Column> columns_;
  int rules_seen_ = 0;
  std::vector<StraceSummaryRow> rows_;
};

}  // namespace proctrace::strace
