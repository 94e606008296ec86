// Every syscall of an imported strace log, one compact 64-byte record each,
// for the analyses (summary, per-process stats, files, I/O, latency). Filled
// by import_strace when asked (LoadOptions::keep_syscalls).
//
// Records are in log order (the order of their entry lines), grouped by input
// file; a pair of "<unfinished ...>" / "<... resumed>" lines is one record at
// the position of its entry line. Logs written with --status print calls in
// exit order: use order_by_start() when time order matters.
//
// Text fields are views into the mmapped log, or into the table's arena for
// calls whose text was spread over two lines. The table keeps both alive, so
// it must outlive every view taken from it (Trace owns both).
#pragma once

#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "import/interner.h"
#include "model/event.h"
#include "model/process_tree.h"

namespace proctrace {

using SyscallId = InternId;  // SyscallTable::name()
using ErrnoId = InternId;    // SyscallTable::errno_name(); 0 = no error

inline constexpr Nanos kUnknownNanos = ~Nanos{0};

struct SyscallRecord {
  enum Flag : std::uint16_t {
    // The result is unknown: "= ?", or the call was never seen to end.
    kRetUnknown = 1 << 0,
    // The call did not return: exit/exit_group, the process died inside it
    // ("= ?" without an errno), or the log ends first. strace's -c/-C table
    // does not count these; calls() does the same.
    kNeverReturned = 1 << 1,
    // Printed as "<unfinished ...>" and "<... resumed>" lines, joined here.
    kJoined = 1 << 2,
    // "<... resumed>" without its "<unfinished ...>" line (a new child, an
    // attach mid-call): args are the resumed part, start = end - duration.
    kNoEntry = 1 << 3,
    // "<unfinished ...>" without a "<... resumed>": with --status=!unfinished
    // strace drops the exit half when a signal interrupts the printing, yet
    // counts the call; without kNeverReturned the call did return.
    kNoExit = 1 << 4,
    kInjected = 1 << 5,  // (INJECTED) by -e inject=
    // No -T: the duration is the time between the "<unfinished ...>" and the
    // "<... resumed>" line's timestamps (exact to their microseconds).
    kDurationFromTimestamps = 1 << 6,
  };

  Nanos start = 0;                   // entry time, ns on the trace clock (Meta.clock)
  Nanos duration = kUnknownNanos;    // -T time in the call; kUnknownNanos when not known
  std::int64_t ret = 0;              // return value; meaningless with kRetUnknown
  const char* text = nullptr;        // args text (see args()), not NUL-terminated
  std::uint32_t args_len = 0;
  std::uint32_t path_offset = 0;     // fd_path() = text + path_offset
  Pid tid = 0;                       // the thread that made the call
  Pid tgid = 0;                      // its process (thread group) at that time
  ProcessIndex process = kNoProcess; // index in Trace::tree; kNoProcess if it has no lifecycle event
  SyscallId name = 0;
  ErrnoId err = 0;                   // "ENOENT", "ERESTARTSYS"...; 0: none
  std::uint16_t path_len = 0;
  std::uint16_t flags = 0;

  // The arguments as strace printed them, without the parentheses.
  std::string_view args() const { return {text, args_len}; }
  // The fd's path from -y/-yy: the returned fd's ("openat(...) = 3</etc/x>")
  // else the first argument's ("read(3</etc/x>, ...)"); "" when none. Socket
  // decorations keep their text ("TCP:[1.2.3.4:80->...]"); device suffixes
  // ("<char 1:3>") are cut; strace's octal escapes stay as printed.
  std::string_view fd_path() const { return {text + path_offset, path_len}; }
  bool has(Flag f) const { return (flags & f) != 0; }
  bool returned() const { return !has(kNeverReturned); }
  bool failed() const { return err != 0; }
  bool has_duration() const { return duration != kUnknownNanos; }
};
static_assert(sizeof(SyscallRecord) == 64);

// One row of strace's own -c/-C summary table found in the log.
struct StraceSummaryRow {
  std::string name;
  std::uint64_t calls = 0;
  std::uint64_t errors = 0;
  double seconds = 0;
};

// Stable storage for text built while importing (joined call halves).
class TextArena {
 public:
  std::string_view copy(std::string_view a, std::string_view b = {}, std::string_view c = {});
  std::size_t bytes() const { return used_; }

 private:
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* cur_ = nullptr;
  std::size_t left_ = 0;
  std::size_t used_ = 0;
};

class SyscallTable {
 public:
  SyscallTable() = default;
  SyscallTable(const SyscallTable&) = delete;
  SyscallTable& operator=(const SyscallTable&) = delete;

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // Iteration in log order: for (const SyscallRecord& r : table) ...
  class const_iterator {
   public:
    using value_type = SyscallRecord;
    using reference = const SyscallRecord&;
    using pointer = const SyscallRecord*;
    using difference_type = std::ptrdiff_t;
    using iterator_category = std::forward_iterator_tag;
    const_iterator() = default;
    reference operator*() const { return (*parts_)[part_][index_]; }
    pointer operator->() const { return &**this; }
    const_iterator& operator++();
    const_iterator operator++(int) {
      auto old = *this;
      ++*this;
      return old;
    }
    bool operator==(const const_iterator& o) const { return part_ == o.part_ && index_ == o.index_; }

   private:
    friend class SyscallTable;
    const_iterator(const std::vector<std::vector<SyscallRecord>>* parts, std::size_t part);
    const std::vector<std::vector<SyscallRecord>>* parts_ = nullptr;
    std::size_t part_ = 0;
    std::size_t index_ = 0;
  };
  const_iterator begin() const { return {&parts_, 0}; }
  const_iterator end() const { return {&parts_, parts_.size()}; }
  // The records in contiguous runs (one per parsed chunk): split work
  // across threads by part.
  const std::vector<std::vector<SyscallRecord>>& parts() const { return parts_; }
  // The i-th record in log order (binary search over the parts).
  const SyscallRecord& at(std::size_t i) const;
  // Record positions (for at()) sorted by start time, ties in log order.
  std::vector<std::uint32_t> order_by_start() const;

  std::string_view name(SyscallId id) const { return names_.name(id); }
  std::string_view errno_name(ErrnoId id) const { return errnos_.name(id); }
  // The call as strace printed it, without pid and times:
  // `openat(AT_FDCWD, "/x", O_RDONLY) = -1 ENOENT`, `= ?` when unknown.
  std::string call_text(const SyscallRecord& r) const;
  std::size_t name_count() const { return names_.size(); }  // ids are 1..name_count()-1
  std::optional<SyscallId> find_name(std::string_view name) const { return names_.find(name); }

  // Calls and errors per syscall id (indexed by SyscallId), counted the way
  // strace's -c/-C table counts: calls that returned; errors = those with an
  // errno (ERESTART* included).
  struct Count {
    std::uint64_t calls = 0;
    std::uint64_t errors = 0;
  };
  std::vector<Count> counts() const;

  // strace's own summary table(s) in the log, in order of appearance (a -C
  // log has one at its end). Empty when the log has none.
  const std::vector<std::vector<StraceSummaryRow>>& strace_summaries() const { return summaries_; }

  // Building (the importer).
  Interner& names() { return names_; }
  Interner& errnos() { return errnos_; }
  void add_part(std::vector<SyscallRecord> part);
  void adopt(TextArena arena) { arenas_.push_back(std::move(arena)); }
  void add_summary(std::vector<StraceSummaryRow> rows) { summaries_.push_back(std::move(rows)); }
  std::vector<std::vector<SyscallRecord>>& mutable_parts() { return parts_; }
  std::size_t arena_bytes() const;

 private:
  Interner names_;
  Interner errnos_;
  std::vector<std::vector<SyscallRecord>> parts_;
  std::vector<std::size_t> part_starts_;  // index of each part's first record
  std::size_t size_ = 0;
  std::vector<TextArena> arenas_;
  std::vector<std::vector<StraceSummaryRow>> summaries_;
};

}  // namespace proctrace
