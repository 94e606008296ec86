// Turns a run of strace lines (a whole log, a live stream, or one chunk of a
// big log parsed in parallel) into syscall records and lifecycle facts.
//
// It joins "<unfinished ...>" / "<... resumed>" halves per thread. A chunk
// that does not start the log cannot know what its threads had open before
// it, so the first thing it sees each thread do is written down as a
// BoundaryOp; import_strace replays those in order to join halves across
// chunks (see merge in strace_import.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "import/strace_line.h"
#include "import/summary_table.h"
#include "import/syscall_table.h"
#include "import/thread_clue.h"
#include "io/diagnostics.h"
#include "io/input_file.h"

namespace proctrace::strace {

inline constexpr std::uint32_t kNoRecord = ~std::uint32_t{0};
// Stands for the traced process's pid until the log reveals it (stderr
// logs print no pid before the first fork).
inline constexpr Pid kUnresolvedPid = -2;

// What lifecycle events are rebuilt from. Few per process: kept whole.
struct Fact {
  enum Kind : std::uint8_t {
    Clone, Exec, BadExec, SetSid, SetPgid, Exited, Killed, Superseded,
    // The working directory is now `filename` ("": no longer known): a
    // chdir or fchdir that succeeded, or what getcwd returned.
    Cwd,
    // What strace before 4.7 (no "+++ exited" lines) leaves of an exit:
    ExitCall,  // exit_group(code) = ?
    Reaped,    // the parent's wait4 returned `other` with `code` or `signal`, or
               // its SIGCHLD siginfo said so (si_pid, si_code, si_status)
    // The first line of a thread in the parsed text, unless that line is its
    // execve: a process only seen through its syscalls (already running
    // when strace attached) exists from here.
    Seen,
  };
  Kind kind = Clone;
  Nanos time = 0;
  std::uint64_t order = 0;  // position in the input: ties keep log order
  Pid tid = 0;              // the thread it happened in
  Pid other = 0;            // Clone: the new tid. SetPgid: target (0: self). Superseded: the execve thread.
                            // Reaped: the child; an exit inferred from it: the parent
  Pid pgid = 0;             // SetPgid: new group (0: = target). SetSid: the new session
  bool thread = false;      // Clone: CLONE_THREAD
  bool clone_parent = false;  // Clone: CLONE_PARENT (the child is the caller's sibling)
  int code = 0;             // Exited. BadExec: the errno (Linux's number; 0: not shown)
  int signal = 0;           // Killed
  bool core_dumped = false;
  std::string filename;     // Exec, BadExec; Cwd: the path
  std::vector<std::string> argv;
  bool has_argv = false;
  bool truncated = false;
};

// The ending half of a call ("<... name resumed>...").
struct CallEnd {
  Nanos time = 0;
  std::uint64_t order = 0;
  std::string_view args;
  std::string_view ret_path;
  std::int64_t ret = 0;
  Nanos duration = kUnknownDuration;
  Pid tid = 0;
  SyscallId name = 0;
  std::string_view name_text;
  ErrnoId err = 0;
  std::string_view err_name;  // "ENOENT"; the text err was interned from
  bool same_line = false;  // a complete line: the entry half is on the same line
  bool ret_known = false;
  bool cut_short = false;
  bool injected = false;
  std::uint32_t orphan = kNoRecord;  // its record in orphans when it has no entry half
};

// A call whose entry half was seen and whose end was not (yet).
struct OpenCall {
  Nanos time = 0;
  std::uint64_t order = 0;
  std::string_view args;
  std::string_view arg_path;         // -y path of a decorated fd first argument, inside args
  std::uint32_t record = kNoRecord;  // in the parser's records
  std::uint32_t parser = 0;          // which parser's records (set by the merge)
  SyscallId name = 0;
  Pid tid = 0;
  bool valid = false;
};

// The first thing a chunk saw a thread do (see the file comment).
struct BoundaryOp {
  enum Kind : std::uint8_t {
    Resume,     // a "<... resumed>": may end a call opened in an earlier chunk
    Entry,      // a new call: a call still open from before ended unseen
    Exit,       // the thread ended (or lost its call): an open call never returned
    Supersede,  // tid (a group leader) takes over `other`'s open execve
  };
  Kind kind = Entry;
  Pid tid = 0;
  Pid other = 0;
  CallEnd end;  // Resume
};

struct ParserConfig {
  Interner* names = nullptr;   // syscall names (the table's when keeping records)
  Interner* errnos = nullptr;
  bool keep_records = false;
  Pid fixed_pid = 0;           // -ff: the pid every line of this file belongs to
  bool dynamic_pids = false;   // stderr logs: work out whose lines carry no pid
  // With dynamic_pids: the pid the user says the unprefixed lines belong to
  // (strace -p PID without -f); 0: work it out from the log.
  Pid root_pid = 0;
  bool first = true;           // starts its input: nothing can be open before it
  std::uint32_t input = 0;     // index of the input, for order keys
  // Text arrives in pieces whose buffer is reused (a live strace pipe): the
  // open halves of lifecycle calls are copied, and no records are kept.
  bool streaming = false;
  // When set, parsed stretches of this (mmapped) input are handed back to
  // the kernel as parsing goes: views into them stay valid, RSS stays small.
  const InputFile* release = nullptr;
};

struct LocalDiagnostic {
  Severity severity = Severity::Error;
  std::uint32_t line = 0;  // 1-based within the parsed text
  std::string message;
};

class LogParser {
 public:
  explicit LogParser(const ParserConfig& config);

  // Parses whole lines; base_offset is text's offset in its input.
  void parse(std::string_view text, std::size_t base_offset);
  // End of a chunk: calls still open move to open_at_end.
  void close_chunk();
  // End of a whole log or stream (first parser, nothing follows): calls still
  // open never returned; an unresolved pid becomes 0 (with a warning).
  void finish();

  // The oldest entry time of an open fork/clone/exec call, or ~0: a live
  // converter may emit facts older than this (their order is final).
  Nanos oldest_open_lifecycle_call();

  // Results.
  std::vector<SyscallRecord> records;  // in entry-line order
  std::vector<SyscallRecord> orphans;  // Resume ops' records (non-first chunks)
  std::vector<Fact> facts;             // in log order
  std::vector<ThreadClue> clues;       // which threads share a process (not when streaming)
  std::vector<BoundaryOp> ops;
  std::vector<OpenCall> open_at_end;
  TextArena arena;
  std::vector<LocalDiagnostic> diagnostics;
  std::uint64_t diagnostics_dropped = 0;
  std::vector<std::vector<StraceSummaryRow>> summaries;

  std::uint64_t physical_lines = 0;
  std::uint64_t trace_lines = 0;  // lines that parsed as strace output
  std::uint64_t bad_lines = 0;
  TimeFormat time_format = TimeFormat::None;
  bool saw_durations = false;
  bool saw_untimed_calls = false;
  // Joined calls without -T whose duration came from their two timestamps.
  std::uint64_t durations_from_timestamps = 0;
  // A timestamp coarser than -T's microseconds (-t): two of them do not give
  // a call's duration.
  bool coarse_times = false;
  // -t/-tt: raw time of day of the first and last line; midnights between
  // them (the day the last line is on, counted from the first line's).
  Nanos first_time_of_day = 0, last_time_of_day = 0;
  bool has_time_of_day = false;
  std::uint32_t midnights = 0;
  Nanos min_time = ~Nanos{0}, max_time = 0;

  // Calls the merge makes through the same rules.
  void complete(const OpenCall* open, const CallEnd& end, std::vector<SyscallRecord>* open_records);
  // ended_at: when the thread was seen to die inside the call (its exit
  // line), which ends the call's time when the stamps are exact.
  void finalize_open(const OpenCall& open, bool returned, std::vector<SyscallRecord>* open_records,
                     Nanos ended_at = kUnknownDuration);
  // Shifts every time by delta (a -tt chunk after a midnight).
  void shift_times(Nanos delta);

 private:
  struct Thread {
    Pid tid = 0;
    bool used = false;
    bool seen = false;
    bool first_line_noted = false;  // its Seen fact is written (or not needed)
    OpenCall open;
    // Its last line was a whole call cut short ("nanosleep(... <unfinished
    // ...>) = ?", strace without -f): the exit line that follows ends it.
    std::uint32_t cut_record = kNoRecord;
    Nanos cut_start = 0;
  };
  enum LifeKind : std::uint8_t {
    kNone, kClone, kExec, kExecAt, kSetSid, kSetPgid, kSetPgrp, kChdir, kFchdir, kGetcwd, kTidHint, kExitGroup, kWait,
    // Calls that only give thread clues (thread_clue.h).
    kFutex, kGetpid, kTgkill, kOpen, kOpenAt, kRestart, kExitThread,
    kUnknown
  };
  static bool is_lifecycle(LifeKind k) { return k > kNone && k < kTidHint; }
  static bool is_clue(LifeKind k) { return k >= kFutex && k < kUnknown; }

  void handle(std::string_view text, std::size_t offset, std::uint32_t line);
  void on_call(const Line& l, Pid tid, Nanos time, std::uint64_t order);
  void on_unfinished(const Line& l, Pid tid, Nanos time, std::uint64_t order);
  void on_resumed(const Line& l, Pid tid, Nanos time, std::uint64_t order);
  void on_exit_line(const Line& l, Pid tid, Nanos time, std::uint64_t order);
  void on_superseded(const Line& l, Pid tid, Nanos time, std::uint64_t order);
  void note_first_line(const Line& l, Pid tid, Nanos time, std::uint64_t order);
  void on_sigchld(std::string_view text, Pid tid, Nanos time, std::uint64_t order);
  void make_fact(const OpenCall* open, const CallEnd& end, std::string_view entry_args);
  void note_clue(LifeKind kind, const OpenCall* open, const CallEnd& end, std::string_view entry_args);
  CallEnd end_of(const Line& l, Pid tid, Nanos time, std::uint64_t order);
  Thread& thread(Pid tid);
  Thread* find_thread(Pid tid);
  void mark_seen(Thread& t, BoundaryOp::Kind first_kind);
  std::uint32_t new_record(const Line& l, Pid tid, Nanos time, SyscallId name);
  LifeKind life_kind(SyscallId id, std::string_view name);
  Nanos line_time(const Line& l, std::size_t offset);
  Pid resolve_tid(const Line& l);
  void note_prefixed(Pid pid);
  void resolve_root(Pid pid);
  void note_strace_message(std::string_view text);
  void report(Severity severity, std::uint32_t line, std::string message);

  ParserConfig config_;
  InternCache names_;
  InternCache errnos_;
  std::vector<std::uint8_t> life_kinds_;
  std::vector<Thread> threads_;  // open addressing on tid
  std::size_t thread_count_ = 0;
  Line line_;
  SummaryTableReader summary_;
  std::uint32_t line_no_ = 0;
  Nanos day_offset_ = 0;
  // The line before was "<unfinished ...>": a bare continuation may follow.
  bool last_unfinished_ = false;
  Pid last_unfinished_tid_ = 0;
  Nanos last_unfinished_time_ = 0;
  std::string last_unfinished_name_;
  Nanos last_time_ = 0;
  Nanos relative_clock_ = 0;  // -r: the sum of the deltas so far

  // Dynamic pids (stderr logs).
  bool root_resolved_ = false;
  Pid root_ = kUnresolvedPid;
  bool any_call_ = false;
  Pid last_prefixed_ = 0;
  std::unordered_set<Pid> live_;
  std::unordered_set<Pid> children_;  // attached or forked: not the root
  std::size_t first_placeholder_record_ = ~std::size_t{0};
};

}  // namespace proctrace::strace
