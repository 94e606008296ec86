// `proctrace files` (every open-family call) and `proctrace directories`
// (their time summed per directory and each of its ancestors).
#include <algorithm>
#include <cstdio>
#include <unordered_map>

#include "analyze/analyze_views.h"
#include "analyze/json_out.h"
#include "analyze/open_calls.h"
#include "analyze/record_filter.h"
#include "analyze/report_text.h"
#include "io/json_text.h"
#include "io/terminal_text.h"

namespace proctrace {

namespace {

std::vector<const SyscallRecord*> selected_opens(const Trace& trace, const AnalyzeOptions& options) {
  Selection selection = select_processes(trace.tree, options.select);
  return collect_records(*trace.syscalls, selection, syscall_ids(*trace.syscalls, is_open_call));
}

// Looks up string keys without building a std::string per lookup.
struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <class V>
using TextMap = std::unordered_map<std::string, V, TextHash, std::equal_to<>>;

template <class V>
V& text_slot(TextMap<V>& map, std::string_view key) {
  auto it = map.find(key);
  if (it == map.end()) it = map.emplace(std::string(key), V{}).first;
  return it->second;
}

void append_result(std::string& out, const SyscallTable& table, const SyscallRecord& r) {
  if (!r.returned() || r.has(SyscallRecord::kRetUnknown)) out += '?';
  else if (r.failed()) out += table.errno_name(r.err);
  else out += std::to_string(r.ret);
}

void pad_left(std::string& out, std::size_t from, std::size_t width) {
  std::size_t n = out.size() - from;
  if (n < width) out.insert(from, width - n, ' ');
}

void pad_right(std::string& out, std::size_t from, std::size_t width) {
  std::size_t n = out.size() - from;
  if (n < width) out.append(width - n, ' ');
}

}  // namespace

void view_files(const Trace& trace, const AnalyzeOptions& options, OutputFile& out) {
  require_syscalls(trace, "files");
  const SyscallTable& table = *trace.syscalls;
  auto opens = selected_opens(trace, options);
  const std::string key = options.sort.empty() ? call_sort_keys()[0] : options.sort;
  sort_calls(opens, key);
  ProcessNames names(trace.tree);
  TimeOfDay time(trace.meta);
  std::string scratch;
  auto pid_text = [&](const SyscallRecord& r) {
    return r.process == kNoProcess ? std::to_string(r.tgid) : names.pid(r.process);
  };
  std::string& b = out.buffer();
  if (options.json) {
    b += "{\"opens\": [";
    bool first = true;
    for (auto* r : opens) {
      OpenedFile f = opened_file(table, *r, scratch);
      b += first ? "\n  " : ",\n  ";
      first = false;
      b += "{\"pid\": ";
      json::append_int(b, r->tgid);
      b += ", \"tid\": ";
      json::append_int(b, r->tid);
      b += ", \"process\": ";
      if (r->process == kNoProcess) b += "null";
      else json::append_uint(b, r->process);
      b += ", \"syscall\": ";
      json::append_string(b, table.name(r->name));
      b += ", \"timestamp_ns\": ";
      json::append_uint(b, r->start);
      b += ", \"time\": ";
      json::append_string(b, time(r->start));
      b += ", \"duration_ns\": ";
      if (r->has_duration()) json::append_uint(b, r->duration);
      else b += "null";
      b += ", \"fd\": ";
      if (r->returned() && !r->failed() && !r->has(SyscallRecord::kRetUnknown)) json::append_int(b, r->ret);
      else b += "null";
      b += ", \"errno\": ";
      if (r->failed()) json::append_string(b, table.errno_name(r->err));
      else b += "null";
      b += ", \"path\": ";
      json::append_string(b, f.path);
      b += ", \"path_truncated\": ";
      b += f.truncated ? "true" : "false";
      b += ", \"fd_path\": ";
      json::append_string(b, f.resolved);
      b += '}';
      out.maybe_flush();
    }
    b += first ? "]}\n" : "\n]}\n";
    out.flush();
    return;
  }
  std::uint64_t failed = 0;
  for (auto* r : opens) failed += r->failed();
  b += std::to_string(opens.size()) + " opens (" + std::to_string(failed) + " failed), by " + key + "\n\n";
  b += "time                 pid         ms  result    path\n";
  b += "---------------  -------  ---------  --------  ----\n";
  for (auto* r : opens) {
    OpenedFile f = opened_file(table, *r, scratch);
    std::size_t at = b.size();
    time.append(b, r->start);
    pad_right(b, at, 15);
    b += "  ";
    at = b.size();
    b += pid_text(*r);
    pad_left(b, at, 7);
    b += "  ";
    at = b.size();
    if (r->has_duration()) append_ms(b, r->duration);
    else b += '-';
    pad_left(b, at, 9);
    b += "  ";
    at = b.size();
    append_result(b, table, *r);
    pad_right(b, at, 8);
    b += "  ";
    append_terminal_safe(b, f.known ? f.path : std::string_view("(unreadable path)"));  // shown, never obeyed
    if (f.truncated) b += "…";
    b += '\n';
    out.maybe_flush();
  }
  out.flush();
}

void view_directories(const Trace& trace, const AnalyzeOptions& options, OutputFile& out) {
  require_syscalls(trace, "directories");
  const SyscallTable& table = *trace.syscalls;
  auto opens = selected_opens(trace, options);
  struct Agg {
    std::uint64_t opens = 0, failed = 0;
    Nanos total = 0;
    Nanos first = kUnknownNanos, last = 0;
    void add(const Agg& o) {
      opens += o.opens;
      failed += o.failed;
      total += o.total;
      first = std::min(first, o.first);
      last = std::max(last, o.last);
    }
  };
  // Per opened path first (few distinct paths, many opens), then each
  // path's time goes to its directory and every ancestor.
  TextMap<Agg> files;
  std::string scratch;
  bool any_duration = false;
  for (auto* r : opens) {
    OpenedFile f = opened_file(table, *r, scratch);
    if (!f.known) continue;
    Agg& a = text_slot(files, f.path);
    ++a.opens;
    a.failed += r->failed();
    if (r->has_duration()) {
      a.total += r->duration;
      any_duration = true;
    }
    a.first = std::min(a.first, r->start);
    a.last = std::max(a.last, r->start);
  }
  TextMap<Agg> dirs;
  for (auto& [path, agg] : files)
    for (std::string_view d = parent_directory(path); !d.empty(); d = parent_directory(d)) text_slot(dirs, d).add(agg);
  std::vector<std::pair<const std::string*, const Agg*>> rows;
  for (auto& [path, agg] : dirs) rows.push_back({&path, &agg});
  std::sort(rows.begin(), rows.end(), [](auto& a, auto& b) {
    if (a.second->total != b.second->total) return a.second->total > b.second->total;
    if (a.second->opens != b.second->opens) return a.second->opens > b.second->opens;
    return *a.first < *b.first;
  });
  TimeOfDay time(trace.meta);
  if (options.json) {
    JsonListWriter list(out, {{"have_durations", any_duration}}, "directories");
    for (auto& [path, a] : rows)
      list.add({{"directory", *path},
                      {"opens", a->opens},
                      {"failed", a->failed},
                      {"total_ns", a->total},
                      {"first_ns", a->first},
                      {"last_ns", a->last},
                      {"first", time(a->first)},
                      {"last", time(a->last)}});
    list.finish();
    return;
  }
  std::string& b = out.buffer();
  b += std::to_string(rows.size()) + " directories, by time spent opening files in them or below\n";
  if (!any_duration) b += "The strace log has no call durations (strace -T): times are unknown.\n";
  b += '\n';
  TextTable t({{"total ms", true}, {"opens", true}, {"failed", true}, {"first"}, {"last"}, {"directory"}});
  for (auto& [path, a] : rows)
    t.add({any_duration ? ms(a->total) : "-", std::to_string(a->opens), std::to_string(a->failed), time(a->first),
           time(a->last), *path});
  t.write(out, "");
  out.flush();
}

}  // namespace proctrace
