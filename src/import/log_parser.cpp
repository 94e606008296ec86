#include "import/log_parser.h"

#include <algorithm>
#include <cstring>

#include "import/strace_args.h"
#include "io/input_file.h"
#include "model/linux_errno.h"

namespace proctrace::strace {

namespace {

// strace cuts argv strings at -s (32 bytes by default) but prints the execve
// path whole, so a long argv[0] ("/usr/lib/gcc/x86_64-linux-gnu/12"... for
// .../12/cc1) would name the program by a directory. When the cut argv[0] is
// a prefix of the path, the path is what it said in full.
void restore_cut_program(const std::string& filename, std::vector<std::string>& argv) {
  if (argv.empty() || filename.empty()) return;
  std::string& first = argv[0];
  if (!std::string_view(first).ends_with(kCutMark)) return;
  std::string_view kept(first.data(), first.size() - kCutMark.size());
  if (filename.size() > kept.size() && std::string_view(filename).starts_with(kept)) first = filename;
}

constexpr std::size_t npos = std::string_view::npos;
constexpr Nanos kDay = 86'400'000'000'000ULL;
constexpr Nanos kHalfDay = kDay / 2;

// "CLONE_THREAD" as a whole flag name ("CLONE_PARENT" must not match
// "CLONE_PARENT_SETTID").
bool has_flag(std::string_view args, std::string_view flag) {
  for (std::size_t pos = args.find(flag); pos != npos; pos = args.find(flag, pos + 1)) {
    std::size_t end = pos + flag.size();
    bool left_ok = pos == 0 || !(std::isalnum(static_cast<unsigned char>(args[pos - 1])) || args[pos - 1] == '_');
    bool right_ok = end >= args.size() || !(std::isalnum(static_cast<unsigned char>(args[end])) || args[end] == '_');
    if (left_ok && right_ok) return true;
  }
  return false;
}

std::string excerpt(std::string_view line) {
  constexpr std::size_t kMax = 100;
  std::string out(line.substr(0, kMax));
  if (line.size() > kMax) out += "...";
  return out;
}

}  // namespace

LogParser::LogParser(const ParserConfig& config)
    : config_(config), names_(*config.names), errnos_(*config.errnos), threads_(64) {
  if (config_.dynamic_pids) live_.insert(kUnresolvedPid);
  if (config_.dynamic_pids && config_.root_pid) resolve_root(config_.root_pid);
}

void LogParser::report(Severity severity, std::uint32_t line, std::string message) {
  if (diagnostics.size() >= 200) {
    ++diagnostics_dropped;
    return;
  }
  diagnostics.push_back({severity, line, std::move(message)});
}

LogParser::Thread* LogParser::find_thread(Pid tid) {
  std::size_t mask = threads_.size() - 1;
  for (std::size_t i = (static_cast<std::uint32_t>(tid) * 0x9E3779B1u) & mask;; i = (i + 1) & mask) {
    Thread& t = threads_[i];
    if (!t.used) return nullptr;
    if (t.tid == tid) return &t;
  }
}

LogParser::Thread& LogParser::thread(Pid tid) {
  if (Thread* t = find_thread(tid)) return *t;
  if ((thread_count_ + 1) * 2 > threads_.size()) {
    std::vector<Thread> old(threads_.size() * 2);
    old.swap(threads_);
    thread_count_ = 0;
    for (auto& t : old)
      if (t.used) thread(t.tid) = t;
  }
  std::size_t mask = threads_.size() - 1;
  std::size_t i = (static_cast<std::uint32_t>(tid) * 0x9E3779B1u) & mask;
  while (threads_[i].used) i = (i + 1) & mask;
  ++thread_count_;
  threads_[i].used = true;
  threads_[i].tid = tid;
  return threads_[i];
}

void LogParser::mark_seen(Thread& t, BoundaryOp::Kind first_kind) {
  if (t.seen) return;
  t.seen = true;
  if (!config_.first) {
    BoundaryOp op;
    op.kind = first_kind;
    op.tid = t.tid;
    ops.push_back(op);
  }
}

LogParser::LifeKind LogParser::life_kind(SyscallId id, std::string_view name) {
  if (id >= life_kinds_.size()) life_kinds_.resize(id + 1u, kUnknown);
  std::uint8_t& k = life_kinds_[id];
  if (k == kUnknown) {
    if (name == "clone" || name == "clone3" || name == "fork" || name == "vfork" || name == "clone2") k = kClone;
    else if (name == "execve") k = kExec;
    else if (name == "execveat") k = kExecAt;
    else if (name == "setsid") k = kSetSid;
    else if (name == "setpgid") k = kSetPgid;
    else if (name == "setpgrp") k = kSetPgrp;
    else if (name == "chdir") k = kChdir;
    else if (name == "fchdir") k = kFchdir;
    else if (name == "getcwd") k = kGetcwd;
    else if (name == "set_tid_address" || name == "gettid") k = kTidHint;
    else if (name == "getpid") k = kGetpid;
    else if (name == "exit_group") k = kExitGroup;
    else if (name == "wait4" || name == "waitpid") k = kWait;
    else if (name == "futex") k = kFutex;
    else if (name == "tgkill") k = kTgkill;
    else if (name == "open") k = kOpen;
    else if (name == "openat") k = kOpenAt;
    else if (name == "restart_syscall") k = kRestart;
    else if (name == "exit") k = kExitThread;
    else k = kNone;
  }
  return static_cast<LifeKind>(k);
}

Nanos LogParser::line_time(const Line& l, std::size_t offset) {
  // -t's whole seconds are too coarse for a duration; so are -r sums, whose
  // deltas come from clock readings of their own, a few us off per line.
  if ((l.time_format != TimeFormat::None && l.time_digits < 6) || l.time_format == TimeFormat::Relative)
    coarse_times = true;
  switch (l.time_format) {
    case TimeFormat::None:
      // No timestamps: the byte offset keeps log order (all that is left).
      saw_untimed_calls = true;
      return offset;
    case TimeFormat::Epoch:
      time_format = TimeFormat::Epoch;
      return l.time;
    case TimeFormat::Relative:
      // Each -r stamp counts from the line before, whatever its pid: the
      // running sum is the time since the first line. (Whole logs only: a
      // chunk cannot know the sum before it.)
      time_format = TimeFormat::Relative;
      relative_clock_ += l.time;
      return relative_clock_;
    case TimeFormat::TimeOfDay: {
      time_format = TimeFormat::TimeOfDay;
      if (!has_time_of_day) {
        has_time_of_day = true;
        first_time_of_day = l.time;
      }
      Nanos t = l.time + day_offset_;
      // Time of day going back by half a day: midnight passed. (--status
      // logs go back by milliseconds, never by hours.) Forward by half a
      // day: a --status line from just before the midnight just passed.
      if (t + kHalfDay < last_time_) {
        day_offset_ += kDay;
        t += kDay;
        ++midnights;
      } else if (midnights > 0 && t > last_time_ + kHalfDay) {
        day_offset_ -= kDay;
        t -= kDay;
        --midnights;
      }
      last_time_ = t;
      last_time_of_day = l.time;
      return t;
    }
  }
  return 0;
}

Pid LogParser::resolve_tid(const Line& l) {
  if (l.pid) {
    if (config_.dynamic_pids) note_prefixed(l.pid);
    last_prefixed_ = l.pid;
    return l.pid;
  }
  if (config_.fixed_pid) return config_.fixed_pid;
  if (!config_.dynamic_pids) return last_prefixed_ ? last_prefixed_ : kUnresolvedPid;
  if (!root_resolved_) return kUnresolvedPid;
  // strace drops the prefix whenever it traces a single thread.
  if (live_.size() == 1) return *live_.begin();
  if (live_.count(root_)) return root_;
  if (live_.count(last_prefixed_)) return last_prefixed_;
  return live_.empty() ? root_ : *live_.begin();
}

void LogParser::note_prefixed(Pid pid) {
  // The first prefixed pid that is not a known child is the process that
  // printed the unprefixed lines before it.
  if (!root_resolved_ && !children_.count(pid)) resolve_root(pid);
  live_.insert(pid);
}

void LogParser::resolve_root(Pid pid) {
  root_resolved_ = true;
  root_ = pid;
  live_.erase(kUnresolvedPid);
  live_.insert(pid);
  if (first_placeholder_record_ < records.size())
    for (std::size_t i = first_placeholder_record_; i < records.size(); ++i)
      if (records[i].tid == kUnresolvedPid) records[i].tid = records[i].tgid = pid;
  for (auto& f : facts) {
    if (f.tid == kUnresolvedPid) f.tid = pid;
    if (f.other == kUnresolvedPid) f.other = pid;
  }
  if (Thread* ph = find_thread(kUnresolvedPid)) {
    Thread copy = *ph;
    ph->open.valid = false;
    ph->seen = false;
    ph->first_line_noted = false;
    ph->tid = kUnresolvedPid;
    Thread& t = thread(pid);
    t.seen = copy.seen;
    t.first_line_noted = copy.first_line_noted;
    t.open = copy.open;
    if (t.open.valid) t.open.tid = pid;
  }
}

void LogParser::note_strace_message(std::string_view text) {
  // "strace: Process 123 attached" (also "... attached with 3 threads")
  constexpr std::string_view kPrefix = "strace: Process ";
  std::size_t pos = text.find(kPrefix);
  if (pos == npos) return;
  std::size_t i = pos + kPrefix.size();
  Pid pid = 0;
  if (!parse_pid(text, i, pid) || !pid || text.substr(i).rfind(" attached", 0) != 0) return;
  if (!config_.dynamic_pids) return;
  if (!any_call_ && !root_resolved_) {
    resolve_root(pid);  // strace -p PID: the attached process is the root
  } else {
    children_.insert(pid);
    live_.insert(pid);
  }
}

std::uint32_t LogParser::new_record(const Line& l, Pid tid, Nanos time, SyscallId name) {
  if (!config_.keep_records || config_.streaming) return kNoRecord;
  auto index = static_cast<std::uint32_t>(records.size());
  SyscallRecord& r = records.emplace_back();
  r.start = time;
  r.tid = r.tgid = tid;
  r.name = name;
  r.text = l.args.data();
  r.args_len = static_cast<std::uint32_t>(l.args.size());
  if (tid == kUnresolvedPid && first_placeholder_record_ == ~std::size_t{0}) first_placeholder_record_ = index;
  return index;
}

CallEnd LogParser::end_of(const Line& l, Pid tid, Nanos time, std::uint64_t order) {
  CallEnd e;
  e.time = time;
  e.order = order;
  if (l.kind == LineKind::Resumed) e.args = l.args;
  e.ret_path = l.ret_path;
  e.ret = l.ret;
  e.duration = l.duration;
  e.tid = tid;
  e.name = names_.get(l.name);
  e.name_text = l.name;
  e.err = l.errno_name.empty() ? ErrnoId{0} : errnos_.get(l.errno_name);
  e.err_name = l.errno_name;
  e.same_line = l.kind == LineKind::Syscall;
  e.ret_known = l.ret_known;
  e.cut_short = l.cut_short;
  e.injected = l.injected;
  if (l.duration != kUnknownDuration) saw_durations = true;
  return e;
}

void LogParser::finalize_open(const OpenCall& open, bool returned, std::vector<SyscallRecord>* open_records,
                              Nanos ended_at) {
  if (open.name < life_kinds_.size() && life_kinds_[open.name] == kFutex) {
    // A futex wait that never returned: the thread died in it, or strace
    // let go. It may have been woken: the clue says so.
    CallEnd never;
    never.tid = open.tid;
    never.time = returned || ended_at == kUnknownDuration ? ThreadClue::kOpenEnd : ended_at;
    never.name = open.name;
    note_clue(kFutex, &open, never, open.args);
  }
  if (open.record == kNoRecord || !open_records) return;
  SyscallRecord& r = (*open_records)[open.record];
  r.flags |= SyscallRecord::kNoExit | SyscallRecord::kRetUnknown;
  if (!returned) r.flags |= SyscallRecord::kNeverReturned;
  // Killed inside the call (nanosleep, wait4...): it lasted until the death.
  if (!returned && ended_at != kUnknownDuration && ended_at >= open.time && time_format != TimeFormat::None &&
      !coarse_times && r.duration == kUnknownDuration) {
    r.duration = ended_at - open.time;
    r.flags |= SyscallRecord::kDurationFromTimestamps;
  }
}

void LogParser::complete(const OpenCall* open, const CallEnd& end, std::vector<SyscallRecord>* open_records) {
  std::string_view entry_args = open ? open->args : std::string_view{};
  if (config_.keep_records) {
    SyscallRecord* r = nullptr;
    if (open && open->record != kNoRecord && open_records) {
      r = &(*open_records)[open->record];
    } else if (!open && end.orphan != kNoRecord) {
      r = &orphans[end.orphan];
    } else {
      r = &records.emplace_back();
      r->tid = r->tgid = end.tid;
      r->name = end.name;
      r->start = end.time;
      if (end.tid == kUnresolvedPid && first_placeholder_record_ == ~std::size_t{0})
        first_placeholder_record_ = records.size() - 1;
    }
    std::uint16_t flags = r->flags;
    if (!open) {
      flags |= SyscallRecord::kNoEntry;
      r->start = end.duration != kUnknownDuration && end.duration <= end.time ? end.time - end.duration : end.time;
    }
    // The text: entry half, resumed half and the returned fd's path, kept
    // as views into the log; copied into the arena only when they sit on
    // two lines.
    std::string_view text;
    std::size_t path_offset = 0, path_len = 0;
    const bool text_on_end_line = !open || end.same_line || entry_args.empty();
    if (open && !end.same_line) flags |= SyscallRecord::kJoined;
    if (open && !end.same_line && !entry_args.empty() && !end.args.empty()) {
      text = arena.copy(entry_args, end.args, end.ret_path);
      path_offset = entry_args.size() + end.args.size();
      path_len = end.ret_path.size();
      text = text.substr(0, path_offset);
    } else {
      text = text_on_end_line && !end.same_line ? end.args : entry_args;
      if (!end.ret_path.empty()) {
        if (text_on_end_line) {
          path_offset = static_cast<std::size_t>(end.ret_path.data() - text.data());
        } else {
          std::size_t n = text.size();
          text = arena.copy(text, end.ret_path).substr(0, n);
          path_offset = n;
        }
        path_len = end.ret_path.size();
      }
    }
    if (path_len == 0) {
      // The first argument's fd: found while the entry line was parsed; the
      // text starts with the entry half whether it was copied or not.
      if (open && !open->arg_path.empty() && !entry_args.empty() &&
          (text.data() == entry_args.data() || (flags & SyscallRecord::kJoined))) {
        path_offset = static_cast<std::size_t>(open->arg_path.data() - entry_args.data());
        path_len = open->arg_path.size();
      } else if (!open || entry_args.empty()) {
        std::string_view p = leading_fd_path(text);
        if (!p.empty()) {
          path_offset = static_cast<std::size_t>(p.data() - text.data());
          path_len = p.size();
        }
      }
    }
    r->text = text.data();
    r->args_len = static_cast<std::uint32_t>(text.size());
    r->path_offset = static_cast<std::uint32_t>(path_offset);
    r->path_len = static_cast<std::uint16_t>(std::min<std::size_t>(path_len, 0xffff));
    r->ret = end.ret;
    r->err = end.err;
    r->duration = end.duration;
    // Without -T a call split over two lines still has an exact duration:
    // the entry line is stamped at entry, the resumed line at the return.
    if (end.duration == kUnknownDuration && open && !end.same_line && time_format != TimeFormat::None &&
        !coarse_times && end.time >= open->time) {
      r->duration = end.time - open->time;
      flags |= SyscallRecord::kDurationFromTimestamps;
      ++durations_from_timestamps;
    }
    if (!end.ret_known) flags |= SyscallRecord::kRetUnknown;
    if (end.cut_short || (!end.ret_known && end.err == 0)) flags |= SyscallRecord::kNeverReturned;
    if (end.injected) flags |= SyscallRecord::kInjected;
    r->flags = flags;
  }
  make_fact(open, end, entry_args);
}

void LogParser::make_fact(const OpenCall* open, const CallEnd& end, std::string_view entry_args) {
  LifeKind kind = life_kind(end.name, end.name_text);
  if (kind == kNone) return;
  Fact f;
  f.time = open ? open->time : end.time;
  f.order = open ? open->order : end.order;
  f.tid = end.tid;
  switch (kind) {
    case kClone:
      if (!end.ret_known || end.ret <= 0) return;
      f.kind = Fact::Clone;
      f.other = static_cast<Pid>(end.ret);
      f.thread = has_flag(entry_args, "CLONE_THREAD");
      f.clone_parent = has_flag(entry_args, "CLONE_PARENT");
      // Not live yet for the pid prefix rule: strace counts a child once
      // it has attached, which may be after the clone returned.
      if (config_.dynamic_pids) children_.insert(f.other);
      break;
    case kExec:
    case kExecAt: {
      if (!end.ret_known) return;
      // A failed execve (the PATH search's ENOENTs, EACCES) is the original
      // proctrace's BadExec: counted per process, no new program.
      f.kind = end.ret == 0 ? Fact::Exec : Fact::BadExec;
      if (f.kind == Fact::BadExec) f.code = linux_errno_number(end.err_name);
      std::size_t first = kind == kExecAt ? 1 : 0;
      if (auto name = decode_string(nth_arg(entry_args, first), &f.truncated)) f.filename = std::move(*name);
      f.has_argv = decode_string_array(nth_arg(entry_args, first + 1), f.argv, f.truncated);
      restore_cut_program(f.filename, f.argv);
      break;
    }
    case kSetSid:
      if (!end.ret_known || end.ret <= 0) return;
      f.kind = Fact::SetSid;
      f.pgid = static_cast<Pid>(end.ret);
      break;
    case kSetPgid:
    case kSetPgrp:
      if (!end.ret_known || end.ret != 0) return;
      f.kind = Fact::SetPgid;
      if (kind == kSetPgid) {
        // setpgid(pid, pgid) succeeded, so both are pids (0: the caller);
        // arguments that are no pid say nothing we could trust.
        auto pid = parse_int(nth_arg(entry_args, 0)), pgid = parse_int(nth_arg(entry_args, 1));
        auto is_pid = [](const std::optional<std::int64_t>& v) {
          return v && *v >= 0 && *v <= static_cast<std::int64_t>(kPidMaxLimit);
        };
        if (!is_pid(pid) || !is_pid(pgid)) return;
        f.other = static_cast<Pid>(*pid);
        f.pgid = static_cast<Pid>(*pgid);
      }
      break;
    case kChdir:
    case kFchdir:
    case kGetcwd: {
      // getcwd returns the path's length (with its NUL) and writes the path
      // into its first argument; chdir and fchdir return 0.
      if (!end.ret_known || (kind == kGetcwd ? end.ret <= 0 : end.ret != 0)) return;
      // The path is on the entry line, but getcwd's only on the line where
      // it returned (the resumed half of a split call).
      std::string_view args = kind == kGetcwd ? (end.args.empty() ? entry_args : end.args)
                                              : (entry_args.empty() ? end.args : entry_args);
      f.kind = Fact::Cwd;
      bool cut = false;
      if (kind == kFchdir) {
        // fchdir(3</home/u/src>) under -y; a bare fd says nothing.
        f.filename = std::string(leading_fd_path(args));
      } else if (auto path = decode_string(nth_arg(args, 0), &cut); path && !cut) {
        f.filename = std::move(*path);
      }
      // A path strace cut (-s) or one with a NUL is no path we can trust.
      if (f.filename.find('\0') != std::string::npos) f.filename.clear();
      if (kind == kGetcwd && (f.filename.empty() || f.filename[0] != '/')) return;  // "(unreachable)/x"
      break;
    }
    case kExitGroup: {
      auto code = parse_int(nth_arg(entry_args.empty() ? end.args : entry_args, 0));
      if (!code) return;
      f.kind = Fact::ExitCall;
      f.code = static_cast<int>(*code & 0xff);
      break;
    }
    case kWait: {
      // "[{WIFEXITED(s) && WEXITSTATUS(s) == 2}]" / "[{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}]"
      if (!end.ret_known || end.ret <= 0) return;
      std::string_view status = end.args.find("WIF") != npos ? end.args : entry_args;  // resumed or entry half
      constexpr std::string_view kCode = "WEXITSTATUS(s) == ", kSignal = "WTERMSIG(s) == ";
      f.kind = Fact::Reaped;
      f.other = static_cast<Pid>(end.ret);
      // Dead by the time the wait returned (a blocking wait began earlier).
      f.time = end.time;
      f.order = end.order;
      if (std::size_t at = status.find(kCode); at != npos) {
        auto code = parse_int(status.substr(at + kCode.size(), status.find_first_not_of("0123456789", at + kCode.size()) - at - kCode.size()));
        if (!code) return;
        f.code = static_cast<int>(*code);
      } else if (std::size_t at = status.find(kSignal); at != npos) {
        std::string_view name = status.substr(at + kSignal.size());
        name = name.substr(0, name.find_first_of("}|& "));
        f.signal = signal_number(name);
        if (!f.signal) return;
        f.core_dumped = status.find("WCOREDUMP(s)") != npos;
      } else {
        return;
      }
      break;
    }
    case kTidHint:
    case kGetpid:
      // set_tid_address/gettid/getpid return the caller's pid: the missing
      // prefix of a stderr log's first lines.
      if (config_.dynamic_pids && !root_resolved_ && end.tid == kUnresolvedPid && end.ret_known && end.ret > 0)
        resolve_root(static_cast<Pid>(end.ret));
      if (kind == kGetpid) note_clue(kind, open, end, entry_args);
      return;
    case kFutex:
    case kTgkill:
    case kOpen:
    case kOpenAt:
    case kRestart:
    case kExitThread:
      note_clue(kind, open, end, entry_args);
      return;
    default:
      return;
  }
  facts.push_back(std::move(f));
}

void LogParser::on_call(const Line& l, Pid tid, Nanos time, std::uint64_t order) {
  Thread& t = thread(tid);
  mark_seen(t, BoundaryOp::Entry);
  if (t.open.valid) {
    // --status logs: a call whose exit half was never printed still returned.
    finalize_open(t.open, true, &records);
    t.open.valid = false;
  }
  CallEnd end = end_of(l, tid, time, order);
  OpenCall open;
  open.time = time;
  open.order = order;
  open.args = l.args;
  open.arg_path = l.arg_path;
  open.name = end.name;
  open.tid = tid;
  open.valid = true;
  open.record = new_record(l, tid, time, end.name);
  complete(&open, end, &records);
  Thread& after = thread(tid);  // complete() may have grown the table (resolve_root)
  after.cut_record = l.cut_short ? open.record : kNoRecord;
  after.cut_start = time;
}

void LogParser::on_unfinished(const Line& l, Pid tid, Nanos time, std::uint64_t order) {
  SyscallId name = names_.get(l.name);
  {
    Thread& t = thread(tid);
    mark_seen(t, BoundaryOp::Entry);
    t.cut_record = kNoRecord;
    if (t.open.valid) {
      finalize_open(t.open, true, &records);
      t.open.valid = false;
    }
  }
  OpenCall open;
  open.time = time;
  open.order = order;
  open.args = l.args;
  open.name = name;
  open.tid = tid;
  open.valid = true;
  open.record = new_record(l, tid, time, name);
  open.arg_path = l.arg_path;
  LifeKind kind = life_kind(name, l.name);  // classified now: name's text may not outlive the line
  if (config_.streaming && kind != kNone && !is_clue(kind)) {
    open.args = arena.copy(l.args);
    open.arg_path = {};
  }
  if (l.detached) {
    finalize_open(open, false, &records);
    return;
  }
  if (l.pid_changed_to) {
    // A thread's execve: it ends under the group leader's pid.
    Thread& leader = thread(l.pid_changed_to);
    if (!leader.seen) {
      mark_seen(leader, BoundaryOp::Exit);
    } else if (leader.open.valid) {
      finalize_open(leader.open, false, &records);
    }
    open.tid = l.pid_changed_to;
    leader.open = open;
    return;
  }
  thread(tid).open = open;
}

void LogParser::on_resumed(const Line& l, Pid tid, Nanos time, std::uint64_t order) {
  CallEnd end = end_of(l, tid, time, order);
  Thread& t = thread(tid);
  t.cut_record = kNoRecord;
  if (t.open.valid && t.open.name == end.name) {
    OpenCall open = t.open;
    t.open.valid = false;
    t.seen = true;
    complete(&open, end, &records);
    return;
  }
  if (t.open.valid) {
    finalize_open(t.open, false, &records);
    t.open.valid = false;
  }
  if (!t.seen && !config_.first) {
    // Maybe the end of a call an earlier chunk opened: the merge decides.
    t.seen = true;
    if (config_.keep_records) {
      end.orphan = static_cast<std::uint32_t>(orphans.size());
      SyscallRecord& r = orphans.emplace_back();
      r.tid = r.tgid = tid;
      r.name = end.name;
      r.start = time;
    }
    BoundaryOp op;
    op.kind = BoundaryOp::Resume;
    op.tid = tid;
    op.end = end;
    ops.push_back(op);
    return;
  }
  t.seen = true;
  complete(nullptr, end, nullptr);
}

void LogParser::on_exit_line(const Line& l, Pid tid, Nanos time, std::uint64_t order) {
  Thread& t = thread(tid);
  mark_seen(t, BoundaryOp::Exit);
  if (t.open.valid) {
    finalize_open(t.open, false, &records, time);
    t.open.valid = false;
  } else if (t.cut_record != kNoRecord) {
    OpenCall cut;
    cut.time = t.cut_start;
    cut.record = t.cut_record;
    finalize_open(cut, false, &records, time);
  }
  t.cut_record = kNoRecord;
  Fact f;
  f.kind = l.kind == LineKind::Exited ? Fact::Exited : Fact::Killed;
  f.time = time;
  f.order = order;
  f.tid = tid;
  f.code = l.exit_code;
  f.signal = l.signal;
  f.core_dumped = l.core_dumped;
  facts.push_back(std::move(f));
  if (config_.dynamic_pids) live_.erase(tid);
}

void LogParser::note_first_line(const Line& l, Pid tid, Nanos time, std::uint64_t order) {
  Thread& t = thread(tid);
  if (t.first_line_noted) return;
  t.first_line_noted = true;
  // A process whose first line is its execve starts there (strace's own
  // command, a child whose clone the log shows): the Exec makes it.
  if (l.kind == LineKind::Syscall || l.kind == LineKind::Unfinished) {
    LifeKind kind = life_kind(names_.get(l.name), l.name);
    if (kind == kExec || kind == kExecAt) return;
  }
  Fact f;
  f.kind = Fact::Seen;
  f.time = time;
  f.order = order;
  f.tid = tid;
  facts.push_back(std::move(f));
}

// "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=27619, ...,
// si_status=0, ...} ---": a child ended with that code (CLD_KILLED,
// CLD_DUMPED: by that signal). Another way to infer an exit the log prints
// no line for (see infer_exits); strace before 4.7 printed no siginfo.
void LogParser::on_sigchld(std::string_view text, Pid tid, Nanos time, std::uint64_t order) {
  auto field = [&](std::string_view key) {
    std::size_t at = text.find(key);
    if (at == npos) return std::string_view();
    std::string_view v = text.substr(at + key.size());
    return v.substr(0, v.find_first_of(",}"));
  };
  std::string_view code = field("si_code="), status = field("si_status=");
  auto pid = parse_int(field("si_pid="));
  if (!pid || *pid <= 0 || *pid > static_cast<std::int64_t>(kPidMaxLimit) || status.empty()) return;
  Fact f;
  f.kind = Fact::Reaped;
  f.time = time;
  f.order = order;
  f.tid = tid;
  f.other = static_cast<Pid>(*pid);
  if (code == "CLD_EXITED") {
    auto n = parse_int(status);
    if (!n || *n < 0 || *n > 255) return;
    f.code = static_cast<int>(*n);
  } else if (code == "CLD_KILLED" || code == "CLD_DUMPED") {
    f.signal = signal_number(status);
    if (!f.signal) return;
    f.core_dumped = code == "CLD_DUMPED";
  } else {
    return;  // stopped, continued, trapped: still alive
  }
  facts.push_back(std::move(f));
}

void LogParser::on_superseded(const Line& l, Pid leader, Nanos time, std::uint64_t order) {
  const Pid execer = l.superseded_by;
  Fact f;
  f.kind = Fact::Superseded;
  f.time = time;
  f.order = order;
  f.tid = leader;
  f.other = execer;
  facts.push_back(std::move(f));
  {
    Thread& lt = thread(leader);
    if (!lt.seen) {
      mark_seen(lt, BoundaryOp::Exit);
    } else if (lt.open.valid) {
      finalize_open(lt.open, false, &records);
      lt.open.valid = false;
    }
  }
  Thread& et = thread(execer);
  if (et.seen || config_.first) {
    et.seen = true;
    OpenCall moved = et.open;
    et.open.valid = false;
    if (moved.valid) {
      moved.tid = leader;
      thread(leader).open = moved;
    }
  } else {
    // The execve began in an earlier chunk: the merge moves it over, and the
    // leader's next line must look at it, so the leader counts as unseen.
    et.seen = true;
    BoundaryOp op;
    op.kind = BoundaryOp::Supersede;
    op.tid = leader;
    op.other = execer;
    ops.push_back(op);
    thread(leader).seen = false;
  }
  if (config_.dynamic_pids) live_.erase(execer);
}

void LogParser::handle(std::string_view text, std::size_t offset, std::uint32_t line) {
  if (summary_.active()) {
    auto r = summary_.feed(text);
    if (r != SummaryTableReader::Result::NotATableLine) {
      ++trace_lines;
      if (r == SummaryTableReader::Result::Done) summaries.push_back(summary_.take_rows());
      return;
    }
    summaries.push_back(summary_.take_rows());
  }
  if (text.size() > kMaxLineBytes) {
    ++bad_lines;
    last_unfinished_ = false;
    report(Severity::Error, line, too_long_message(text.size()));
    return;
  }
  Line& l = line_;
  const bool after_unfinished = last_unfinished_;
  last_unfinished_ = false;
  if (!parse_line(text, l)) {
    std::string error = l.error;
    if (after_unfinished && parse_continuation(text, last_unfinished_name_, l)) {
      ++trace_lines;
      on_resumed(l, last_unfinished_tid_, last_unfinished_time_, (static_cast<std::uint64_t>(config_.input) << 40) | offset);
      return;
    }
    ++bad_lines;
    report(Severity::Error, line, error + ": " + excerpt(text));
    return;
  }
  switch (l.kind) {
    case LineKind::Empty: return;
    case LineKind::StraceMessage:
      ++trace_lines;
      note_strace_message(text);
      return;
    case LineKind::Ignored: ++trace_lines; return;
    case LineKind::SummaryHeader:
      ++trace_lines;
      summary_.start(text);
      return;
    default: break;
  }
  ++trace_lines;
  Pid tid = resolve_tid(l);
  any_call_ = true;
  Nanos time = line_time(l, offset);
  if (time < min_time) min_time = time;
  // A resumed line is printed when the call returns: its time is already the
  // end. Only a whole call's line is stamped at entry.
  Nanos end_time = time + (l.kind == LineKind::Syscall && l.duration != kUnknownDuration ? l.duration : 0);
  if (end_time > max_time) max_time = end_time;
  std::uint64_t order = (static_cast<std::uint64_t>(config_.input) << 40) | offset;
  if (l.kind != LineKind::Superseded) note_first_line(l, tid, time, order);
  switch (l.kind) {
    case LineKind::Syscall: on_call(l, tid, time, order); break;
    case LineKind::Unfinished:
      on_unfinished(l, tid, time, order);
      last_unfinished_ = true;
      last_unfinished_tid_ = l.pid_changed_to ? l.pid_changed_to : tid;
      last_unfinished_time_ = time;
      last_unfinished_name_ = l.name;
      break;
    case LineKind::Resumed: on_resumed(l, tid, time, order); break;
    case LineKind::Exited:
    case LineKind::Killed: on_exit_line(l, tid, time, order); break;
    case LineKind::Superseded: on_superseded(l, tid, time, order); break;
    case LineKind::Signal:
      if (l.signal_name == "SIGCHLD") on_sigchld(text, tid, time, order);
      break;  // signals change no call
    default: break;
  }
}

void LogParser::parse(std::string_view text, std::size_t base_offset) {
  // strace lines average well over 64 bytes: reserving by that bound costs
  // only address space (untouched pages) and saves every regrowth copy.
  if (config_.keep_records && !config_.streaming) records.reserve(records.size() + text.size() / 64 + 16);
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  const char* p = begin;
  const char* released = begin;
  constexpr std::size_t kReleaseBytes = 32u << 20;
  while (p < end) {
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    const char* line_end = nl ? nl : end;
    const char* next = nl ? nl + 1 : end;
    std::string_view line(p, static_cast<std::size_t>(line_end - p));
    std::uint32_t number = ++line_no_;
    ++physical_lines;
    // strace's "Process N attached" printed into the middle of a trace
    // line (stderr): the trace line goes on below it.
    std::string_view messages[4];
    int message_count = 0;
    if (!line.empty() && (line.back() == 'd' || line.back() == '\r')) {
      for (std::size_t msg = embedded_strace_message(line); msg != npos; msg = embedded_strace_message(line)) {
        // Noted after the line: the new process did not exist when it began.
        if (message_count < 4) messages[message_count++] = line.substr(msg);
        std::string_view head = line.substr(0, msg);
        if (next >= end) {
          line = head;
          break;
        }
        const char* nl2 = static_cast<const char*>(std::memchr(next, '\n', static_cast<std::size_t>(end - next)));
        const char* cont_end = nl2 ? nl2 : end;
        line = arena.copy(head, std::string_view(next, static_cast<std::size_t>(cont_end - next)));
        next = nl2 ? nl2 + 1 : end;
        ++line_no_;
        ++physical_lines;
      }
    }
    handle(line, base_offset + static_cast<std::size_t>(p - begin), number);
    for (int m = 0; m < message_count; ++m) note_strace_message(messages[m]);
    p = next;
    if (config_.release && static_cast<std::size_t>(p - released) >= kReleaseBytes) {
      config_.release->release(base_offset + static_cast<std::size_t>(released - begin),
                               static_cast<std::size_t>(p - released));
      released = p;
    }
  }
  if (config_.release) config_.release->release(base_offset + static_cast<std::size_t>(released - begin),
                                                static_cast<std::size_t>(end - released));
}

void LogParser::close_chunk() {
  for (auto& t : threads_)
    if (t.used && t.open.valid) {
      open_at_end.push_back(t.open);
      t.open.valid = false;
    }
  std::sort(open_at_end.begin(), open_at_end.end(),
            [](const OpenCall& a, const OpenCall& b) { return a.order < b.order; });
  if (summary_.active()) summaries.push_back(summary_.take_rows());
}

void LogParser::finish() {
  if (config_.dynamic_pids && !root_resolved_ && any_call_) {
    report(Severity::Warning, 0,
           "no pid prefix and nothing that names the traced process's pid (set_tid_address, getpid, "
           "gettid): calling it pid 0 (--attach-pid PID names it)");
    resolve_root(0);
  }
  for (auto& t : threads_)
    if (t.used && t.open.valid) {
      finalize_open(t.open, false, &records);
      t.open.valid = false;
    }
  if (summary_.active()) summaries.push_back(summary_.take_rows());
}

Nanos LogParser::oldest_open_lifecycle_call() {
  Nanos oldest = ~Nanos{0};
  for (auto& t : threads_) {
    if (!t.used || !t.open.valid) continue;
    LifeKind k = life_kind(t.open.name, {});  // classified when the call opened
    if (is_lifecycle(k) && t.open.time < oldest) oldest = t.open.time;
  }
  return oldest;
}

void LogParser::shift_times(Nanos delta) {
  if (!delta) return;
  for (auto& r : records) r.start += delta;
  for (auto& r : orphans) r.start += delta;
  for (auto& f : facts) f.time += delta;
  for (auto& c : clues) {
    if (c.start) c.start += delta;
    if (c.end != ThreadClue::kOpenEnd) c.end += delta;
  }
  for (auto& op : ops) op.end.time += delta;
  for (auto& o : open_at_end) o.time += delta;
  if (min_time != ~Nanos{0}) min_time += delta;
  max_time += delta;
}

}  // namespace proctrace::strace
