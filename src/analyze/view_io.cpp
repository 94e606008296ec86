// `proctrace io`: every read/write/send/recv-family call with its duration,
// bytes moved (the return value), errno and the fd's path (strace -y), then
// the totals per file.
#include <algorithm>
#include <array>
#include <charconv>
#include <unordered_map>

#include "analyze/analyze_views.h"
#include "analyze/json_out.h"
#include "analyze/record_filter.h"
#include "analyze/report_text.h"
#include "io/json_text.h"
#include "io/terminal_text.h"

namespace proctrace {

namespace {

enum class Direction : std::uint8_t { None, Read, Write };

constexpr std::array<std::string_view, 11> kReads = {"read",   "readv",    "pread64", "preadv",  "preadv2", "recv",
                                                     "recvfrom", "recvmsg", "recvmmsg", "pread", "readv2"};
constexpr std::array<std::string_view, 11> kWrites = {"write",   "writev",  "pwrite64", "pwritev", "pwritev2", "send",
                                                      "sendto", "sendmsg", "sendmmsg", "pwrite", "writev2"};

Direction direction(std::string_view name) {
  if (std::find(kReads.begin(), kReads.end(), name) != kReads.end()) return Direction::Read;
  if (std::find(kWrites.begin(), kWrites.end(), name) != kWrites.end()) return Direction::Write;
  return Direction::None;
}

// recvmmsg/sendmmsg return a count of messages, not bytes.
bool returns_messages(std::string_view name) { return name == "recvmmsg" || name == "sendmmsg"; }

struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

struct FileTotals {
  std::uint64_t calls = 0, errors = 0;
  std::uint64_t bytes_read = 0, bytes_written = 0;
  Nanos total = 0;
};

}  // namespace

void view_io(const Trace& trace, const AnalyzeOptions& options, OutputFile& out) {
  require_syscalls(trace, "io");
  const SyscallTable& table = *trace.syscalls;
  Selection selection = select_processes(trace.tree, options.select);
  std::vector<Direction> dirs(table.name_count(), Direction::None);
  std::vector<bool> messages(table.name_count(), false);
  for (std::size_t id = 1; id < dirs.size(); ++id) {
    dirs[id] = direction(table.name(static_cast<SyscallId>(id)));
    messages[id] = returns_messages(table.name(static_cast<SyscallId>(id)));
  }
  auto calls = collect_records(
      table, selection, syscall_ids(table, [](std::string_view n) { return direction(n) != Direction::None; }));
  sort_calls(calls, options.sort);

  ProcessNames names(trace.tree);
  TimeOfDay time(trace.meta);
  // The file a call worked on: its -y path, else "fd N of PID".
  std::string scratch;
  auto file_of = [&](const SyscallRecord& r) -> std::string_view {
    if (r.path_len) return r.fd_path();
    std::string_view args = r.args();
    std::size_t digits = 0;
    while (digits < args.size() && args[digits] >= '0' && args[digits] <= '9') ++digits;
    scratch.assign("fd ");
    scratch.append(args.substr(0, digits));
    scratch.append(" of pid ");
    scratch.append(std::to_string(r.tgid));
    return scratch;
  };
  auto bytes_of = [&](const SyscallRecord& r) -> std::int64_t {
    if (!r.returned() || r.failed() || r.has(SyscallRecord::kRetUnknown) || messages[r.name]) return -1;
    return r.ret;
  };

  std::unordered_map<std::string, FileTotals, TextHash, std::equal_to<>> totals;
  bool any_duration = false;
  std::string& b = out.buffer();
  bool list = !options.totals_only;
  if (options.json) b += "{\"calls\": [";
  else if (list) {
    b += std::to_string(calls.size()) + " read/write calls\n\n";
    b += "time                 pid  syscall        ms      bytes  errno  file\n";
    b += "---------------  -------  --------  -------  ---------  -----  ----\n";
  }
  bool first = true;
  for (auto* r : calls) {
    std::string_view file = file_of(*r);
    auto it = totals.find(file);
    if (it == totals.end()) it = totals.emplace(std::string(file), FileTotals{}).first;
    FileTotals& t = it->second;
    std::int64_t bytes = bytes_of(*r);
    if (r->returned()) {
      ++t.calls;
      t.errors += r->failed();
      if (bytes > 0) (dirs[r->name] == Direction::Read ? t.bytes_read : t.bytes_written) += static_cast<std::uint64_t>(bytes);
      if (r->has_duration()) {
        t.total += r->duration;
        any_duration = true;
      }
    }
    if (!list) continue;
    if (options.json) {
      b += first ? "\n  " : ",\n  ";
      first = false;
      b += "{\"pid\": ";
      json::append_int(b, r->tgid);
      b += ", \"tid\": ";
      json::append_int(b, r->tid);
      b += ", \"syscall\": ";
      json::append_string(b, table.name(r->name));
      b += ", \"timestamp_ns\": ";
      json::append_uint(b, r->start);
      b += ", \"time\": ";
      json::append_string(b, time(r->start));
      b += ", \"duration_ns\": ";
      if (r->has_duration()) json::append_uint(b, r->duration);
      else b += "null";
      b += ", \"bytes\": ";
      if (bytes >= 0) json::append_int(b, bytes);
      else b += "null";
      b += ", \"errno\": ";
      if (r->failed()) json::append_string(b, table.errno_name(r->err));
      else b += "null";
      b += ", \"file\": ";
      json::append_string(b, file);
      b += '}';
    } else {
      char line[160];
      std::string pid = r->process == kNoProcess ? std::to_string(r->tgid) : names.pid(r->process);
      std::string dur = r->has_duration() ? ms(r->duration) : "-";
      std::string bytes_text = bytes >= 0 ? std::to_string(bytes) : "-";
      std::string err_safe = r->failed() ? terminal_safe(table.errno_name(r->err)) : "";
      std::string_view err = err_safe;
      int n = std::snprintf(line, sizeof line, "%-15s  %7s  %-8.*s  %7s  %9s  %-5.*s  ", time(r->start).c_str(),
                            pid.c_str(), static_cast<int>(table.name(r->name).size()), table.name(r->name).data(),
                            dur.c_str(), bytes_text.c_str(), static_cast<int>(err.size()), err.data());
      b.append(line, static_cast<std::size_t>(std::max(0, std::min(n, static_cast<int>(sizeof line) - 1))));
      append_terminal_safe(b, file);  // a path from the log: shown, never obeyed
      b += '\n';
    }
    out.maybe_flush();
  }

  std::vector<std::pair<const std::string*, const FileTotals*>> rows;
  for (auto& [file, t] : totals) rows.push_back({&file, &t});
  std::sort(rows.begin(), rows.end(), [](auto& a, auto& b) {
    if (a.second->total != b.second->total) return a.second->total > b.second->total;
    std::uint64_t ba = a.second->bytes_read + a.second->bytes_written, bb = b.second->bytes_read + b.second->bytes_written;
    if (ba != bb) return ba > bb;
    return *a.first < *b.first;
  });
  if (options.json) {
    if (list) b += first ? "], " : "\n], ";
    b += "\"have_durations\": ";
    b += any_duration ? "true" : "false";
    b += ", \"files\": [";
    bool first_file = true;
    for (auto& [file, t] : rows) {
      b += first_file ? "\n  " : ",\n  ";
      first_file = false;
      b += "{\"file\": ";
      json::append_string(b, *file);
      b += ", \"calls\": ";
      json::append_uint(b, t->calls);
      b += ", \"errors\": ";
      json::append_uint(b, t->errors);
      b += ", \"bytes_read\": ";
      json::append_uint(b, t->bytes_read);
      b += ", \"bytes_written\": ";
      json::append_uint(b, t->bytes_written);
      b += ", \"total_ns\": ";
      json::append_uint(b, t->total);
      b += '}';
      out.maybe_flush();
    }
    b += first_file ? "]}\n" : "\n]}\n";
    out.flush();
    return;
  }
  if (list) b += '\n';
  b += "Totals per file (" + std::to_string(rows.size()) + " files)\n";
  if (!any_duration) b += "The strace log has no call durations (strace -T): times are unknown.\n";
  b += '\n';
  TextTable t({{"total ms", true}, {"calls", true}, {"errors", true}, {"read", true}, {"written", true}, {"file"}});
  for (auto& [file, f] : rows)
    t.add({any_duration ? ms(f->total) : "-", std::to_string(f->calls), std::to_string(f->errors),
           std::to_string(f->bytes_read), std::to_string(f->bytes_written), *file});
  t.write(out, "");
  out.flush();
}

}  // namespace proctrace
