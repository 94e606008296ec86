// LogParser::note_clue: the calls that tell which threads share a process
// (see thread_clue.h). Kept apart from the line parsing in log_parser.cpp.
#include <optional>

#include "import/log_parser.h"
#include "import/strace_args.h"

namespace proctrace::strace {

namespace {

constexpr std::size_t npos = std::string_view::npos;

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// A pid at the start of s, ended by '/' or the end; consumes it.
std::optional<Pid> take_pid(std::string_view &s) {
  std::size_t n = s.find('/');
  auto v = parse_int(s.substr(0, n));
  if (!v || *v <= 0 || *v > static_cast<std::int64_t>(kPidMaxLimit) ||
      s.substr(0, n).find_first_not_of("0123456789") != npos)
    return std::nullopt;
  s = n == npos ? std::string_view() : s.substr(n);
  return static_cast<Pid>(*v);
}

// "/proc/G/task/T..." -> (G, T); T is 0 for "/proc/G" and "/proc/G/...".
// G is 0 for /proc/self/task/T (the opener's own process).
struct ProcPath {
  Pid group = 0, thread = 0;
  bool self = false;         // /proc/self/...
  bool thread_self = false;  // /proc/thread-self/...
};
std::optional<ProcPath> proc_path(std::string_view path) {
  if (!starts_with(path, "/proc/")) return std::nullopt;
  path.remove_prefix(6);
  ProcPath p;
  if (starts_with(path, "self/") || path == "self") {
    p.self = true;
    path.remove_prefix(4);
  } else if (starts_with(path, "thread-self/") || path == "thread-self") {
    p.thread_self = true;
    return p;
  } else if (auto g = take_pid(path)) {
    p.group = *g;
  } else {
    return std::nullopt;
  }
  if (starts_with(path, "/task/")) {
    path.remove_prefix(6);
    auto t = take_pid(path);
    if (!t) return std::nullopt;
    p.thread = *t;
  }
  return p;
}

bool futex_op_is(std::string_view op, std::string_view a, std::string_view b) {
  op = op.substr(0, op.find('|'));
  return op == a || op == b;
}

}  // namespace

void LogParser::note_clue(LifeKind kind, const OpenCall *open, const CallEnd &end, std::string_view entry_args) {
  if (config_.streaming || end.tid <= 0) return;
  std::string_view args = entry_args.empty() ? end.args : entry_args;
  ThreadClue c;
  c.tid = end.tid;
  c.start = open ? open->time : 0;
  // A whole line is stamped at entry and printed at return; a resumed half
  // is stamped at the return.
  if (!open)
    c.end = end.time;
  else if (!end.same_line)
    c.end = end.time;
  else
    c.end = end.duration != kUnknownDuration ? open->time + end.duration : ThreadClue::kOpenEnd;
  const bool ok = end.ret_known && end.err == 0;
  switch (kind) {
    case kRestart:
      c.kind = ThreadClue::HiddenWait;
      break;
    case kFutex: {
      if (!open || entry_args.empty()) {
        c.kind = ThreadClue::HiddenWait;  // the entry half, with the word, is not
                                          // in the log
        break;
      }
      std::string_view op = nth_arg(args, 1);
      auto addr = parse_int(nth_arg(args, 0));
      if (!addr) return;
      c.addr = static_cast<std::uint64_t>(*addr);
      if (futex_op_is(op, "FUTEX_WAIT_PRIVATE", "FUTEX_WAIT_BITSET_PRIVATE")) {
        c.kind = ThreadClue::FutexWait;
        c.outcome = ok && end.ret == 0                                               ? ThreadClue::kWoken
                    : ok || (end.err != 0 && !starts_with(end.err_name, "ERESTART")) ? ThreadClue::kOther
                                                                                     : ThreadClue::kUnknown;
      } else if (futex_op_is(op, "FUTEX_WAKE_PRIVATE", "FUTEX_WAKE_BITSET_PRIVATE")) {
        if (!ok || end.ret < 1 || end.ret > INT32_MAX) return;
        c.kind = ThreadClue::FutexWake;
        c.count = static_cast<std::uint32_t>(end.ret);
      } else {
        return;  // shared futexes cross processes; PI and requeue ops move waiters
                 // unseen
      }
      break;
    }
    case kGetpid:
      if (!ok || end.ret <= 0 || end.ret > static_cast<std::int64_t>(kPidMaxLimit)) return;
      c.kind = ThreadClue::InGroup;
      c.source = ThreadClue::FromGetpid;
      c.other = static_cast<Pid>(end.ret);
      break;
    case kTgkill: {
      // Succeeds only when the thread is in that group.
      std::string_view g = nth_arg(args, 0), t = nth_arg(args, 1);
      auto group = take_pid(g), thread = take_pid(t);
      if (!ok || end.ret != 0 || !group || !thread || !g.empty() || !t.empty()) return;
      c.kind = ThreadClue::InGroup;
      c.source = ThreadClue::FromTgkill;
      c.tid = *thread;
      c.other = *group;
      break;
    }
    case kOpen:
    case kOpenAt: {
      if (!ok || end.ret < 0) return;
      std::string_view raw = nth_arg(args, kind == kOpenAt ? 1 : 0);
      if (!starts_with(raw, "\"/proc/")) return;  // most opens: no string decoded
      auto name = decode_string(raw);
      if (!name) return;
      auto asked = proc_path(*name);
      if (!asked) return;
      auto in_group = [&](Pid tid, Pid group) {
        ThreadClue x = c;
        x.kind = ThreadClue::InGroup;
        x.tid = tid;
        x.other = group;
        clues.push_back(x);
      };
      // /proc/G/task/T exists only when T is a thread of G.
      if (asked->group && asked->thread) in_group(asked->thread, asked->group);
      // -y: the fd's path names the process /proc/self resolved to.
      auto got = proc_path(end.ret_path);
      if (got && got->group) {
        if (got->thread) in_group(got->thread, got->group);
        if (asked->self || asked->thread_self) in_group(end.tid, got->group);
      } else if (asked->self && asked->thread && asked->thread != end.tid) {
        c.kind = ThreadClue::SameGroup;
        c.other = asked->thread;
        clues.push_back(c);
      }
      return;
    }
    case kExitThread:
      c.kind = ThreadClue::ThreadExit;
      break;
    default:
      return;
  }
  clues.push_back(c);
}

}  // namespace proctrace::strace
