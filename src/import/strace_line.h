// One line of strace output, taken apart without allocating: every text field
// is a view into the line. Knows every shape strace 4.x–6.x prints (see
// docs/strace-import.md); what a line means for processes is decided later.
#pragma once

#include <cstdint>
#include <string_view>

#include "model/event.h"

namespace proctrace::strace {

enum class LineKind : std::uint8_t {
  Empty,          // blank
  Syscall,        // name(args) = ret ...
  Unfinished,     // name(args <unfinished ...>   (also <pid changed to N ...>, <detached ...>)
  Resumed,        // <... name resumed>rest) = ret ...
  Signal,         // --- SIGCHLD {...} ---, --- stopped by SIGSTOP ---
  Exited,         // +++ exited with N +++
  Killed,         // +++ killed by SIGKILL (core dumped) +++
  Superseded,     // +++ superseded by execve in pid N +++
  StraceMessage,  // strace: Process N attached, and strace's other messages
  Ignored,        // -k stack frames, -e write= hex dumps, [ Process PID=N runs in 32 bit mode. ]
  SummaryHeader,  // "% time     seconds  usecs/call ..." of -c/-C
  Bad,
};

enum class TimeFormat : std::uint8_t {
  None,
  TimeOfDay,  // -t, -tt: HH:MM:SS[.frac], local time, wraps at midnight
  Epoch,      // -ttt: seconds[.frac] since the Unix epoch
  Relative,   // -r alone: seconds[.frac] since the previous line (any pid)
};

// -r deltas are small; -ttt seconds since the epoch are past 10^9. Below
// this many seconds (about 3 years) a seconds.frac stamp is a delta.
inline constexpr std::uint64_t kRelativeSecondsBelow = 100'000'000;

inline constexpr Nanos kUnknownDuration = ~Nanos{0};

struct Line {
  LineKind kind = LineKind::Empty;
  Pid pid = 0;  // 0: no pid prefix (strace -o without -f, stderr before the first fork, -ff files)
  TimeFormat time_format = TimeFormat::None;
  Nanos time = 0;  // -t/-tt: ns since local midnight; -ttt: ns since the epoch; -r: ns since the line before
  std::uint8_t time_digits = 0;  // digits after the timestamp's point: 0 for -t, 6 for -tt/-ttt

  // Syscall, Unfinished, Resumed.
  std::string_view name;
  // Syscall: between the parentheses. Unfinished: after "(" up to the marker.
  // Resumed: after "resumed>" up to the closing parenthesis.
  std::string_view args;

  // Syscall, Resumed: the result.
  bool ret_known = false;       // false for "= ?"
  std::int64_t ret = 0;
  std::string_view errno_name;  // "ENOENT", "ERESTARTSYS", empty when none
  std::string_view ret_path;    // -y decoration of the returned fd: "= 3</etc/passwd>"
  // Syscall, Unfinished: the -y path of a decorated fd first argument
  // ("read(3</etc/passwd>, ...").
  std::string_view arg_path;
  Nanos duration = kUnknownDuration;  // -T; unknown when absent or "<unavailable>"
  bool injected = false;        // (INJECTED) by -e inject
  // "<... read resumed> <unfinished ...>) = ?": the call was cut short (the
  // process died inside it).
  bool cut_short = false;

  // Unfinished: "<pid changed to N ...>" (a thread's execve took over the
  // group leader's pid N), "<detached ...>" (strace let go mid-call).
  Pid pid_changed_to = 0;
  bool detached = false;

  // Exited: code. Killed: signal number, core dump. Superseded: the thread
  // whose execve replaced this pid. Signal: the signal name.
  int exit_code = 0;
  int signal = 0;
  bool core_dumped = false;
  Pid superseded_by = 0;
  std::string_view signal_name;

  // Bad: what was expected.
  const char* error = nullptr;

  // Back to defaults, field by field: `*this = Line{}` compiles to a
  // rep stos whose start-up cost shows on every line.
  void reset() {
    kind = LineKind::Empty;
    pid = 0;
    time_format = TimeFormat::None;
    time = 0;
    time_digits = 0;
    name = args = errno_name = ret_path = arg_path = signal_name = {};
    ret_known = injected = cut_short = detached = core_dumped = false;
    ret = 0;
    duration = kUnknownDuration;
    pid_changed_to = superseded_by = 0;
    exit_code = signal = 0;
    error = nullptr;
  }
};

// Parses one physical line (without its newline). Returns false for Bad.
[[nodiscard]] bool parse_line(std::string_view text, Line& out);

// The rest of a call whose "<unfinished ...>" line was cut by another line
// and which strace then finished on a bare line of its own ("[], 8) = 0",
// seen with --status=!unfinished): parsed as a Resumed line of call `name`.
[[nodiscard]] bool parse_continuation(std::string_view text, std::string_view name, Line& out);

// The offset of the parenthesis that closes the call's argument list, scanning
// from text[0] at nesting depth `depth` (1 for the text after "name(" or after
// "resumed>"); strings, -y decorations and comments are skipped. npos if the
// list does not close on this line.
std::size_t find_args_end(std::string_view text, int depth = 1);
// The same, also catching the path of a decorated fd first argument.
std::size_t find_args_end(std::string_view text, int depth, std::string_view* first_fd_path);

// The path part of a decoration's inside: "/dev/null<char 1:3>" ->
// "/dev/null"; sockets ("TCP:[a->b]") stay whole.
std::string_view decoration_path(std::string_view inner);

// Linux's PID_MAX_LIMIT: no pid (or tid) is larger.
inline constexpr std::uint64_t kPidMaxLimit = 4'194'304;
// Digits of a pid at s[i]; false (i unchanged) when there are none or the
// number cannot be a pid.
[[nodiscard]] bool parse_pid(std::string_view s, std::size_t& i, Pid& out);

// "SIGKILL" -> 9, "SIGRT_3" -> 35; 0 if unknown.
int signal_number(std::string_view name);

// The -y path of an fd first argument: "3</etc/passwd>, ..." -> "/etc/passwd"
// (device suffixes cut, sockets kept whole); empty when the first argument is
// not a decorated fd.
std::string_view leading_fd_path(std::string_view args);

// Parses an -T duration "0.000123" (any number of digits) into ns.
[[nodiscard]] bool parse_seconds(std::string_view text, Nanos& out);

// True when the line ends with strace's "strace: Process N attached" printed
// into the middle of a trace line (stderr): the trace line continues on the
// next physical line. Returns the offset where the message starts.
std::size_t embedded_strace_message(std::string_view text);

}  // namespace proctrace::strace
