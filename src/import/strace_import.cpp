#include "import/strace_import.h"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <optional>
#include <filesystem>
#include <memory>
#include <thread>
#include <unordered_map>

#include "import/lifecycle.h"
#include "import/log_parser.h"
#include "import/strace_line.h"
#include "import/syscall_table.h"
#include "import/thread_groups.h"
#include "model/thread_grouping.h"
#include "io/text_util.h"

namespace proctrace {

using namespace strace;

namespace {

constexpr std::size_t npos = std::string_view::npos;
constexpr Nanos kDay = 86'400'000'000'000ULL;
// Below this a file is parsed in one piece: threads would cost more than they save.
constexpr std::size_t kMinParallelBytes = 8u << 20;

// "trace.1234" -> 1234 (strace -ff names), else 0.
Pid pid_from_ff_name(const std::string& name) {
  std::size_t dot = name.rfind('.');
  if (dot == std::string::npos || dot + 1 >= name.size()) return 0;
  std::size_t i = dot + 1;
  std::uint64_t pid = 0;
  if (text::parse_decimal(name, i, pid, kPidMaxLimit) != text::NumberResult::Ok || i != name.size()) return 0;
  return static_cast<Pid>(pid);
}

// Whether the first trace lines carry pid prefixes (-o with -f): then every
// line does, and the file can be cut into chunks parsed in parallel -- unless
// its stamps are -r deltas, whose sum needs every line before.
struct LogStart {
  bool prefixed = false;
  bool relative = false;
};
LogStart first_lines(std::string_view data) {
  Line l;
  std::size_t pos = 0;
  for (int n = 0; n < 1000 && pos < data.size(); ++n) {
    std::size_t nl = data.find('\n', pos);
    std::string_view line = data.substr(pos, nl == npos ? npos : nl - pos);
    pos = nl == npos ? data.size() : nl + 1;
    if (!parse_line(line, l)) continue;
    switch (l.kind) {
      case LineKind::Syscall:
      case LineKind::Unfinished:
      case LineKind::Resumed:
      case LineKind::Exited:
      case LineKind::Killed:
      case LineKind::Signal:
      case LineKind::Superseded: return {l.pid != 0, l.time_format == TimeFormat::Relative};
      default: break;
    }
  }
  return {};
}

// Line starts at which to cut data into about n chunks. Never inside a line
// joined across strace's "Process N attached", nor inside the -C table.
std::vector<std::size_t> chunk_starts(std::string_view data, std::size_t n) {
  std::vector<std::size_t> starts{0};
  for (std::size_t k = 1; k < n; ++k) {
    std::size_t pos = data.size() / n * k;
    if (pos <= starts.back()) continue;
    std::size_t nl = data.find('\n', pos);
    if (nl == npos || nl + 1 >= data.size()) break;
    std::size_t start = nl + 1;
    std::string_view before = data.substr(pos > 4096 ? pos - 4096 : 0, nl - (pos > 4096 ? pos - 4096 : 0));
    std::size_t prev_nl = before.rfind('\n');
    std::string_view prev = prev_nl == npos ? before : before.substr(prev_nl + 1);
    if (embedded_strace_message(prev) != npos) {
      std::size_t nl2 = data.find('\n', start);
      if (nl2 == npos || nl2 + 1 >= data.size()) break;
      start = nl2 + 1;
    }
    std::size_t look = start > (16u << 10) ? start - (16u << 10) : 0;
    std::string_view window = data.substr(look, start - look);
    if (window.find("% time ") != npos) break;  // the summary table: keep it whole
    starts.push_back(start);
  }
  return starts;
}

// -t/-tt stamps carry no date. The log's modification time was set when its
// last line was written: its local date is the last line's day (the day
// before when the file changed just after a midnight the log did not reach).
// Returns the clock offset that turns the log's times (ns since the first
// line's local midnight) into ns since the epoch, and that day.
std::optional<std::pair<std::int64_t, std::string>> date_from_mtime(const std::string& path, Nanos last) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  std::time_t written = st.st_mtime;  // POSIX seconds (st_mtim is Linux, st_mtimespec macOS)
  std::tm day{};
  if (!localtime_r(&written, &day)) return std::nullopt;
  const Nanos written_tod = static_cast<Nanos>((day.tm_hour * 60 + day.tm_min) * 60 + day.tm_sec) * 1'000'000'000ULL;
  constexpr Nanos kHour = 3'600'000'000'000ULL;
  if (written_tod + kHour < last % kDay) --day.tm_mday;  // mktime normalises
  day.tm_hour = day.tm_min = day.tm_sec = 0;
  day.tm_isdst = -1;
  std::time_t midnight = std::mktime(&day);
  if (midnight == static_cast<std::time_t>(-1)) return std::nullopt;
  char name[16];
  std::strftime(name, sizeof name, "%Y-%m-%d", &day);
  // A log that claims to span more days than an int64 of ns holds (a
  // hostile or corrupt one) gets no date rather than a wrapped one.
  std::int64_t midnight_ns = 0, offset = 0;
  const Nanos days_ns = last / kDay * kDay;
  if (days_ns > static_cast<Nanos>(INT64_MAX) ||
      __builtin_mul_overflow(static_cast<std::int64_t>(midnight), 1'000'000'000LL, &midnight_ns) ||
      __builtin_sub_overflow(midnight_ns, static_cast<std::int64_t>(days_ns), &offset))
    return std::nullopt;
  return std::make_pair(offset, std::string(name));
}

// strace before 4.7 prints no "+++ exited with N +++": every process would
// look alive at the end. A process without such a line ended where its
// exit_group(N) = ? was, else where its parent's wait4 reaped it (the code or
// signal from WEXITSTATUS/WTERMSIG) or its SIGCHLD said it ended (si_status),
// whichever the log shows first. The last two also end a child strace never
// traced (attached to its parent only). Returns how many exits were inferred.
std::size_t infer_exits(std::vector<Fact>& facts) {
  std::unordered_map<Pid, bool> ended;  // pid -> an exit line or an inferred exit
  for (auto& f : facts)
    if (f.kind == Fact::Exited || f.kind == Fact::Killed) ended[f.tid] = true;
  std::size_t inferred = 0;
  for (auto& f : facts) {
    if (f.kind == Fact::ExitCall && !ended[f.tid]) {
      ended[f.tid] = true;
      f.kind = Fact::Exited;
      ++inferred;
    }
  }
  for (auto& f : facts) {
    if (f.kind == Fact::Reaped && !ended[f.other]) {
      ended[f.other] = true;
      f.kind = f.signal ? Fact::Killed : Fact::Exited;
      std::swap(f.tid, f.other);  // other: the parent that reaped it or got its SIGCHLD
      ++inferred;
    }
  }
  return inferred;
}

// --date YYYY-MM-DD: the clock offset that puts the first line's local
// midnight on that day. The day was checked by the command line
// (valid_date); a date mktime cannot represent gives nullopt.
std::optional<std::int64_t> offset_for_date(const std::string& date) {
  std::tm day{};
  if (std::sscanf(date.c_str(), "%4d-%2d-%2d", &day.tm_year, &day.tm_mon, &day.tm_mday) != 3) return std::nullopt;
  day.tm_year -= 1900;
  day.tm_mon -= 1;
  day.tm_isdst = -1;
  std::time_t midnight = std::mktime(&day);
  if (midnight == static_cast<std::time_t>(-1)) return std::nullopt;
  return static_cast<std::int64_t>(midnight) * 1'000'000'000LL;
}

struct Chunk {
  std::uint32_t input = 0;
  std::size_t begin = 0, end = 0;
  bool first = true;
  std::unique_ptr<LogParser> parser;
};

// Joins the halves of calls that straddle chunk boundaries, in log order.
class ChunkMerger {
 public:
  void merge(Chunk& chunk, std::vector<bool>& merged_orphans) {
    LogParser& p = *chunk.parser;
    for (auto& op : p.ops) {
      switch (op.kind) {
        case BoundaryOp::Resume: {
          auto it = open_.find(op.tid);
          if (it != open_.end() && it->second.call.name == op.end.name) {
            p.complete(&it->second.call, op.end, &it->second.owner->records);
            if (op.end.orphan != kNoRecord) merged_orphans[op.end.orphan] = true;
            open_.erase(it);
          } else {
            if (it != open_.end()) end_open(it, false);
            p.complete(nullptr, op.end, nullptr);
          }
          break;
        }
        case BoundaryOp::Entry:
          if (auto it = open_.find(op.tid); it != open_.end()) end_open(it, true);
          break;
        case BoundaryOp::Exit:
          if (auto it = open_.find(op.tid); it != open_.end()) end_open(it, false);
          break;
        case BoundaryOp::Supersede: {
          if (auto it = open_.find(op.tid); it != open_.end()) end_open(it, false);
          if (auto it = open_.find(op.other); it != open_.end()) {
            Open moved = it->second;
            open_.erase(it);
            moved.call.tid = op.tid;
            open_[op.tid] = moved;
          }
          break;
        }
      }
    }
    for (auto& call : p.open_at_end) {
      if (auto it = open_.find(call.tid); it != open_.end()) end_open(it, true);
      open_[call.tid] = {call, &p};
    }
  }
  // End of an input: what is still open never returned.
  void finish() {
    while (!open_.empty()) end_open(open_.begin(), false);
  }

 private:
  struct Open {
    OpenCall call;
    LogParser* owner = nullptr;
  };
  void end_open(std::unordered_map<Pid, Open>::iterator it, bool returned) {
    it->second.owner->finalize_open(it->second.call, returned, &it->second.owner->records);
    open_.erase(it);
  }
  std::unordered_map<Pid, Open> open_;
};

void run_parallel(std::size_t jobs, unsigned threads, const std::function<void(std::size_t)>& job) {
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(jobs)));
  if (threads == 1) {
    for (std::size_t i = 0; i < jobs; ++i) job(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      for (std::size_t i; (i = next.fetch_add(1)) < jobs;) job(i);
    });
  for (auto& t : pool) t.join();
}

}  // namespace

bool looks_like_strace(std::string_view data) { return !data.empty() && data.front() != '{'; }

std::vector<std::string> expand_strace_ff_prefix(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (auto& path : paths) {
    std::error_code ec;
    if (path == "-" || fs::exists(path, ec)) {
      out.push_back(path);
      continue;
    }
    fs::path prefix(path);
    fs::path dir = prefix.has_parent_path() ? prefix.parent_path() : fs::path(".");
    std::string base = prefix.filename().string() + ".";
    std::vector<std::pair<Pid, std::string>> found;
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (name.size() <= base.size() || name.compare(0, base.size(), base) != 0) continue;
      Pid pid = pid_from_ff_name(name);
      if (pid && name.size() - base.size() == std::to_string(pid).size()) found.emplace_back(pid, it->path().string());
    }
    if (found.empty()) {
      out.push_back(path);  // let opening it report the error
      continue;
    }
    std::sort(found.begin(), found.end());
    for (auto& [_, p] : found) out.push_back(p);
  }
  return out;
}

void import_strace(const std::vector<const InputFile*>& inputs, StraceImport& import, Meta& meta,
                   Diagnostics& diag) {
  Interner own_names, own_errnos;
  Interner& names = import.syscalls ? import.syscalls->names() : own_names;
  Interner& errnos = import.syscalls ? import.syscalls->errnos() : own_errnos;
  unsigned threads = import.threads ? import.threads : std::max(1u, std::thread::hardware_concurrency());

  // Plan the chunks: -o -f logs and -ff files can be cut anywhere between
  // lines; logs without pid prefixes need their lines' pids worked out in
  // order, so they stay whole.
  std::vector<Chunk> chunks;
  for (std::uint32_t i = 0; i < inputs.size(); ++i) {
    const InputFile& in = *inputs[i];
    std::string_view data = in.data();
    Pid fixed = inputs.size() > 1 ? pid_from_ff_name(in.name()) : 0;
    if (inputs.size() > 1 && !fixed)
      diag.warning(in.name(), 0, "not named PREFIX.PID as strace -ff names its files: its pids are guessed");
    LogStart shape = first_lines(data);
    bool dynamic = !fixed && !shape.prefixed;
    std::vector<std::size_t> starts{0};
    if (shape.relative) {
      // -r: one chunk, each stamp adds to the sum of the ones before
    } else if (!dynamic && import.chunk_bytes) starts = chunk_starts(data, std::max<std::size_t>(1, data.size() / import.chunk_bytes));
    // A few chunks per thread: a thread slowed down by other work on the
    // machine does not hold the others up.
    else if (!dynamic && data.size() >= kMinParallelBytes)
      starts = chunk_starts(data, std::min<std::size_t>(threads * 4, data.size() / (kMinParallelBytes / 2)));
    for (std::size_t k = 0; k < starts.size(); ++k) {
      Chunk c;
      c.input = i;
      c.begin = starts[k];
      c.end = k + 1 < starts.size() ? starts[k + 1] : data.size();
      c.first = k == 0;
      ParserConfig config;
      config.names = &names;
      config.errnos = &errnos;
      config.keep_records = import.syscalls != nullptr;
      config.fixed_pid = fixed;
      config.dynamic_pids = dynamic;
      config.root_pid = dynamic ? import.attach_pid : 0;
      config.first = c.first;
      config.input = i;
      config.release = &in;
      c.parser = std::make_unique<LogParser>(config);
      chunks.push_back(std::move(c));
    }
  }

  run_parallel(chunks.size(), threads, [&](std::size_t i) {
    Chunk& c = chunks[i];
    std::string_view data = inputs[c.input]->data();
    c.parser->parse(data.substr(c.begin, c.end - c.begin), c.begin);
    bool last = i + 1 == chunks.size() || chunks[i + 1].input != c.input;
    if (c.first && last) c.parser->finish();
    else c.parser->close_chunk();
  });

  // Merge in log order: midnights, calls across chunk boundaries, messages.
  std::vector<std::vector<bool>> merged_orphans(chunks.size());
  std::uint64_t trace_lines = 0;
  TimeFormat format = TimeFormat::None;
  bool durations = false, untimed = false;
  std::uint64_t from_timestamps = 0;
  bool coarse = false;  // -t: whole seconds
  Nanos min_time = ~Nanos{0}, max_time = 0;
  for (std::size_t i = 0; i < chunks.size();) {
    std::size_t end = i;
    while (end < chunks.size() && chunks[end].input == chunks[i].input) ++end;
    ChunkMerger merger;
    std::uint64_t line_base = 0;
    Nanos days = 0;
    for (std::size_t k = i; k < end; ++k) {
      LogParser& p = *chunks[k].parser;
      if (k > i && p.has_time_of_day) {
        const LogParser& prev = *chunks[k - 1].parser;
        days += prev.midnights;
        if (prev.has_time_of_day && prev.last_time_of_day > p.first_time_of_day + kDay / 2) ++days;
        else if (prev.has_time_of_day && days > 0 && prev.last_time_of_day + kDay / 2 < p.first_time_of_day) --days;
        p.shift_times(days * kDay);
      }
      merged_orphans[k].assign(p.orphans.size(), false);
      merger.merge(chunks[k], merged_orphans[k]);
      const std::string& name = inputs[chunks[k].input]->name();
      for (auto& d : p.diagnostics)
        diag.report({d.severity, name, d.line ? d.line + line_base : 0, d.message});
      if (p.diagnostics_dropped)
        diag.error(name, 0, std::to_string(p.diagnostics_dropped) + " more unparseable lines not shown");
      line_base += p.physical_lines;
      trace_lines += p.trace_lines;
      if (p.time_format != TimeFormat::None) format = p.time_format;
      durations |= p.saw_durations;
      from_timestamps += p.durations_from_timestamps;
      coarse |= p.coarse_times && p.time_format == TimeFormat::TimeOfDay;
      untimed |= p.saw_untimed_calls;
      min_time = std::min(min_time, p.min_time);
      max_time = std::max(max_time, p.max_time);
    }
    merger.finish();
    i = end;
  }

  std::string sources;
  for (auto* in : inputs) sources += (sources.empty() ? "" : ", ") + in->name();
  if (trace_lines == 0)
    throw InputError(sources + ": no strace output found (expected lines like "
                               "'1234  12:00:00.000001 openat(AT_FDCWD, \"/etc/passwd\", O_RDONLY) = 3')");
  if (untimed && format == TimeFormat::None)
    diag.warning(inputs.front()->name(), 0,
                 inputs.size() > 1
                     ? "no timestamps (strace -t/-tt/-ttt): the order between the -ff files is lost, and so "
                       "are times and durations; events keep each file's order"
                     : "no timestamps (strace -t/-tt/-ttt): events keep the log's order, but times, "
                       "durations and timelines are meaningless");

  // Lifecycle: every fact in time order.
  std::vector<Fact> facts;
  for (auto& c : chunks)
    for (auto& f : c.parser->facts) facts.push_back(std::move(f));
  if (std::size_t inferred = infer_exits(facts)) {
    meta.extra["strace_exits"] = std::to_string(inferred) +
                                 " inferred from exit_group(N), the parent's wait4 or its SIGCHLD (no \"+++ exited\" "
                                 "line: strace older than 4.7, a child strace did not trace, or strace let go first)";
    diag.warning(inputs.front()->name(), 0,
                 std::to_string(inferred) + " process exits inferred from exit_group/wait4/SIGCHLD: the log has no "
                 "'+++ exited with N +++' line for them (strace older than 4.7, or children strace did not trace?)");
  }
  // Threads strace attached to with their process show as pids of their
  // own: tie the ones the log proves belong together to their process, as
  // if it had cloned them when it was first seen.
  std::vector<ThreadClue> clues;
  for (auto& c : chunks)
    clues.insert(clues.end(), c.parser->clues.begin(), c.parser->clues.end());
  const bool exact_times = !coarse && (format == TimeFormat::TimeOfDay || format == TimeFormat::Epoch);
  std::vector<ThreadGroup> groups = infer_thread_groups(facts, clues, exact_times);
  clues = {};
  if (!groups.empty()) {
    std::vector<Fact> ties;
    for (auto& g : groups)
      for (Pid member : g.members) {
        Fact f;
        f.kind = Fact::Clone;
        f.thread = true;
        f.tid = g.leader;
        f.other = member;
        f.time = g.first_seen;
        ties.push_back(std::move(f));
      }
    facts.insert(facts.begin(), std::make_move_iterator(ties.begin()), std::make_move_iterator(ties.end()));
    meta.extra["strace_threads"] = "grouped by inference (threads already running at attach): " +
                                   describe_thread_groups(groups);
    std::vector<Pid> leaders;
    for (auto& g : groups) leaders.push_back(g.leader);
    meta.extra[std::string(kThreadGroupsKey)] = thread_groups_value(leaders);
  }
  LifecycleBuilder builder(import.tree, import.on_event);
  builder.run(facts);
  import.tree.finish(max_time);
  import.stats = builder.stats(max_time);

  if (import.syscalls) {
    SyscallTable& table = *import.syscalls;
    for (std::size_t k = 0; k < chunks.size(); ++k) {
      LogParser& p = *chunks[k].parser;
      if (!p.orphans.empty()) {
        std::vector<SyscallRecord> kept;
        for (std::size_t j = 0; j < p.orphans.size(); ++j)
          if (!merged_orphans[k][j]) kept.push_back(p.orphans[j]);
        if (!kept.empty()) table.add_part(std::move(kept));
      }
      table.add_part(std::move(p.records));
      table.adopt(std::move(p.arena));
      for (auto& s : p.summaries) table.add_summary(std::move(s));
    }
    // Each record's process, from the lifecycle's tid -> process history.
    auto& parts = table.mutable_parts();
    run_parallel(parts.size(), threads, [&](std::size_t i) {
      for (auto& r : parts[i]) r.process = builder.process_of(r.tid, r.start, r.tgid);
    });
  }

  meta.backend = "strace-import";
  meta.source = sources;
  switch (format) {
    case TimeFormat::Epoch:
      meta.clock = "CLOCK_REALTIME";
      meta.clock_offset_ns = 0;
      meta.extra["strace_timestamps"] = "epoch (-ttt)";
      break;
    case TimeFormat::Relative:
      meta.clock = "relative";
      meta.clock_offset_ns = 0;
      meta.extra["strace_timestamps"] = "relative (-r): seconds since the log's first line, summed from per-line deltas";
      break;
    case TimeFormat::TimeOfDay:
      meta.clock = "local time of day";  // -t/-tt carry no date
      meta.extra["strace_timestamps"] = coarse ? "time of day, coarser than -T's microseconds (-t)" : "time of day (-t/-tt)";
      // Exports need a date (else 1970): the file's, said so in Meta.
      if (!import.date.empty()) {
        if (auto offset = offset_for_date(import.date)) {
          meta.clock_offset_ns = *offset;
          meta.extra["strace_date"] = import.date + " (given with --date: -t/-tt print no date)";
        }
      } else if (auto date = date_from_mtime(inputs.back()->name(), max_time)) {
        meta.clock_offset_ns = date->first;
        meta.extra["strace_date"] = date->second + " (from the log's modification time: -t/-tt print no date)";
      }
      break;
    case TimeFormat::None:
      meta.clock = "none";
      meta.extra["strace_timestamps"] = "none (times are byte offsets in the log)";
      break;
  }
  meta.extra["strace_durations"] =
      durations ? "yes (-T)"
      : from_timestamps
          ? "no -T: only the " + std::to_string(from_timestamps) +
                " calls split into <unfinished ...>/<... resumed> lines, from their two timestamps"
          : "no";
  meta.start_timestamp = min_time == ~Nanos{0} ? 0 : min_time;
  if (!import.tree.roots().empty()) {
    const Process& root = import.tree[import.tree.roots().front()];
    if (auto* argv = root.command()) meta.command = argv->to_vector();
  }
}

}  // namespace proctrace
