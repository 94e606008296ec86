// `proctrace list-pids` (every process's syscall table) and `proctrace pid`
// (the same for chosen processes, with their life: times, programs, exit,
// family, slowest opens). Figures come from call_stats.h.
#include <algorithm>
#include <unordered_map>

#include "analyze/analyze_views.h"
#include "analyze/call_stats.h"
#include "analyze/json_out.h"
#include "analyze/open_calls.h"
#include "analyze/record_filter.h"
#include "analyze/report_text.h"
#include "model/thread_grouping.h"
#include "render/command_text.h"

namespace proctrace {

namespace {

constexpr std::size_t kSlowestOpens = 10;

std::string errno_text(const SyscallTable& table, const SyscallFigures& f) {
  std::string s;
  for (auto& [err, n] : f.errnos) {
    if (!s.empty()) s += ", ";
    s += std::string(table.errno_name(err)) + " " + std::to_string(n);
  }
  return s;
}

void write_stats_table(std::string& b, const SyscallTable& table, const ProcessRow& row, bool timed) {
  TextTable t({{"syscall"},
               {"calls", true},
               {"errors", true},
               {"total ms", true},
               {"max ms", true},
               {"avg ms", true},
               {"min ms", true},
               {"errno"}});
  std::uint64_t calls = 0, errors = 0;
  Nanos total = 0;
  auto time = [&](const CallStats& s, Nanos v) { return timed && s.timed ? ms(v) : std::string("-"); };
  for (auto& f : row.calls) {
    const CallStats& s = f.stats;
    if (!s.calls) continue;  // only calls that never returned (exit_group)
    calls += s.calls;
    errors += s.errors;
    total += s.total;
    t.add({std::string(table.name(f.name)), std::to_string(s.calls), std::to_string(s.errors), time(s, s.total),
           time(s, s.max), time(s, s.average()), time(s, s.min), errno_text(table, f)});
  }
  t.add({"total", std::to_string(calls), std::to_string(errors), timed ? ms(total) : "-", "", "", "", ""});
  t.write(b, "  ");
}

Json stats_json(const SyscallTable& table, const ProcessRow& row) {
  Json list = Json::array();
  for (auto& f : row.calls) {
    const CallStats& s = f.stats;
    if (!s.calls) continue;
    Json errnos = Json::object();
    for (auto& [err, n] : f.errnos) errnos[std::string(table.errno_name(err))] = n;
    Json j = {{"syscall", table.name(f.name)}, {"calls", s.calls}, {"errors", s.errors}, {"timed", s.timed}};
    if (s.timed) {
      j["total_ns"] = s.total;
      j["max_ns"] = s.max;
      j["avg_ns"] = s.average();
      j["min_ns"] = s.min;
    }
    j["errnos"] = std::move(errnos);
    list.push_back(std::move(j));
  }
  return list;
}

// Each row's slowest opens (open-family calls with a duration), by row key
// (process index, or tgid for tasks without a process).
using SlowOpens = std::unordered_map<std::uint64_t, std::vector<const SyscallRecord*>>;
std::uint64_t open_key(ProcessIndex process, Pid tgid) {
  return process != kNoProcess ? process : (std::uint64_t{1} << 32) | static_cast<std::uint32_t>(tgid);
}

SlowOpens slowest_opens(const std::vector<const SyscallRecord*>& opens) {
  SlowOpens by_row;
  for (auto* r : opens)
    if (r->has_duration()) by_row[open_key(r->process, r->tgid)].push_back(r);
  for (auto& [_, mine] : by_row) {
    std::size_t n = std::min(kSlowestOpens, mine.size());
    std::partial_sort(mine.begin(), mine.begin() + static_cast<std::ptrdiff_t>(n), mine.end(),
                      [](auto* a, auto* b) { return a->duration != b->duration ? a->duration > b->duration : a < b; });
    mine.resize(n);
  }
  return by_row;
}

const std::vector<const SyscallRecord*>& slowest_of(const SlowOpens& slow, const ProcessRow& row) {
  static const std::vector<const SyscallRecord*> kNone;
  auto it = slow.find(open_key(row.process, row.pid));
  return it == slow.end() ? kNone : it->second;
}

std::string result_text(const SyscallTable& table, const SyscallRecord& r) {
  if (!r.returned() || r.has(SyscallRecord::kRetUnknown)) return "?";
  if (r.failed()) return std::string(table.errno_name(r.err));
  return std::to_string(r.ret);
}

}  // namespace

void view_list_pids(const Trace& trace, const AnalyzeOptions& options, OutputFile& out) {
  require_syscalls(trace, "list-pids");
  const SyscallTable& table = *trace.syscalls;
  Selection selection = select_processes(trace.tree, options.select);
  TraceCallStats stats = compute_call_stats(trace, selection, {});
  std::vector<const ProcessRow*> rows;
  for (auto& r : stats.rows)
    if (!r.calls.empty()) rows.push_back(&r);
  if (!options.sort.empty()) sort_process_rows(trace, rows, options.sort);
  if (options.count && options.count < rows.size()) rows.resize(options.count);

  ProcessNames names(trace.tree);
  auto pid_text = [&](const ProcessRow& r) {
    return r.process == kNoProcess ? std::to_string(r.pid) : names.pid(r.process);
  };
  InferredThreadGroups grouped(trace.meta);
  auto command = [&](const ProcessRow& r) {
    return r.process == kNoProcess ? std::string()
                                   : ProcessNames::command(trace.tree[r.process]) + grouped.label(trace.tree[r.process]);
  };
  const bool timed = stats.have_durations;
  if (options.json) {
    JsonListWriter list(out, {{"have_durations", stats.have_durations}}, "processes");
    for (const ProcessRow* r : rows) {
      Json j = {{"pid", r->pid},
                {"process", r->process == kNoProcess ? Json(nullptr) : Json(r->process)},
                {"command", command(*r)},
                {"exit", r->process == kNoProcess ? Json(nullptr) : exit_json(trace.tree[r->process])},
                {"outcome", row_outcome(trace, *r)},
                {"syscall_count", r->syscalls}};
      if (r->process != kNoProcess && grouped.has(trace.tree[r->process])) j["threads_inferred"] = true;
      if (timed) {
        j["active_ns"] = r->active;
        j["wait_ns"] = r->wait;
      }
      j["total_ns"] = r->total;
      j["syscalls"] = stats_json(table, *r);
      list.add(j);
    }
    list.finish();
    return;
  }
  std::string& b = out.buffer();
  if (!timed) b += "The strace log has no call durations (strace -T): times are unknown.\n\n";
  bool first = true;
  for (const ProcessRow* r : rows) {
    if (!first) b += '\n';
    first = false;
    b += "PID " + pid_text(*r);
    if (auto c = command(*r); !c.empty()) b += "  " + c;
    // strace-parser's header line, led by how the process ended.
    b += "\n  " + row_outcome(trace, *r) + "; " + std::to_string(r->syscalls) + " syscalls";
    if (timed) b += ", active " + ms(r->active) + " ms, wait " + ms(r->wait) + " ms";
    b += ", total " + ms(r->total) + " ms\n\n";
    write_stats_table(b, table, *r, timed);
    out.maybe_flush();
  }
  out.flush();
}

void view_pid(const Trace& trace, const AnalyzeOptions& options, OutputFile& out) {
  const ProcessTree& tree = trace.tree;
  Selection selection = select_processes(tree, options.select);
  TraceCallStats stats = compute_call_stats(trace, selection, {});
  std::vector<const SyscallRecord*> opens;
  if (trace.syscalls) opens = collect_records(*trace.syscalls, selection, syscall_ids(*trace.syscalls, is_open_call));
  SlowOpens slow = slowest_opens(opens);
  ProcessNames names(tree);
  InferredThreadGroups grouped(trace.meta);
  TimeOfDay time(trace.meta);
  const Stats* end_stats = trace.has_stats ? &trace.stats : nullptr;
  std::string scratch;

  auto open_json = [&](const SyscallRecord& r) {
    OpenedFile f = opened_file(*trace.syscalls, r, scratch);
    return Json{{"syscall", trace.syscalls->name(r.name)},
                {"timestamp_ns", r.start},
                {"time", time(r.start)},
                {"duration_ns", r.duration},
                {"result", result_text(*trace.syscalls, r)},
                {"path", f.path},
                {"fd_path", f.resolved}};
  };

  if (options.json) {
    JsonListWriter list(out, {{"have_syscalls", stats.have_calls}, {"have_durations", stats.have_durations}},
                        "processes");
    for (auto& row : stats.rows) {
      Json j = {{"pid", row.pid}};
      if (row.process != kNoProcess) {
        const Process& p = tree[row.process];
        auto [start, end] = process_lifetime(p, stats.last);
        j["process"] = p.index;
        j["parent"] = p.parent == kNoProcess ? Json{{"pid", p.ppid}, {"process", nullptr}}
                                             : Json{{"pid", tree[p.parent].pid}, {"process", p.parent}};
        j["start_ns"] = start;
        j["end_ns"] = p.end ? Json(*p.end) : Json(nullptr);
        j["start"] = time(start);
        j["end"] = p.end ? Json(time(*p.end)) : Json(nullptr);
        j["exit"] = exit_json(p);
        j["outcome"] = outcome_text(p, end_stats);
        Json programs = Json::array();
        for (auto& s : p.segments)
          if (!s.inherited)
            programs.push_back({{"timestamp_ns", s.start}, {"time", time(s.start)}, {"filename", s.filename.str()},
                                {"argv", s.argv.to_vector()}});
        j["programs"] = std::move(programs);
        j["failed_execs"] = p.failed_execs;
        j["threads"] = p.threads;
        if (grouped.has(p)) j["threads_inferred"] = true;
        Json children = Json::array();
        for (ProcessIndex c : p.children)
          children.push_back({{"pid", tree[c].pid}, {"process", c}, {"command", ProcessNames::command(tree[c])}});
        j["children"] = std::move(children);
      }
      j["total_ns"] = row.total;
      if (trace.syscalls) {
        j["active_ns"] = row.active;
        j["wait_ns"] = row.wait;
        j["syscall_count"] = row.syscalls;
        j["syscalls"] = stats_json(*trace.syscalls, row);
        Json slow_list = Json::array();
        for (auto* r : slowest_of(slow, row)) slow_list.push_back(open_json(*r));
        j["slowest_opens"] = std::move(slow_list);
      }
      list.add(j);
    }
    list.finish();
    return;
  }

  std::string& b = out.buffer();
  if (!trace.syscalls)
    b += "This input is a recording of lifecycle events: syscall figures need an strace log (strace -f -T).\n\n";
  bool first = true;
  for (auto& row : stats.rows) {
    if (!first) b += '\n';
    first = false;
    if (row.process == kNoProcess) {
      b += "PID " + std::to_string(row.pid) + " (seen in syscalls only)\n";
    } else {
      const Process& p = tree[row.process];
      auto [start, end] = process_lifetime(p, stats.last);
      b += "PID " + names.pid(p.index) + "  " + ProcessNames::command(p) + grouped.label(p) + "\n";
      b += "  parent     ";
      if (p.parent != kNoProcess) b += names.pid(p.parent) + "  " + ProcessNames::command(tree[p.parent]);
      else if (p.ppid > 0) b += std::to_string(p.ppid) + " (not traced)";
      else b += "(not traced)";
      b += "\n  started    " + time(start) + "\n";
      b += "  ended      " + (p.end ? time(*p.end) : std::string("-")) + "  " + outcome_text(p, end_stats) + " after " +
           ms(end - start) + " ms\n";
      if (!p.threads.empty()) {
        b += "  threads   ";
        for (Pid t : p.threads) b += " " + std::to_string(t);
        b += grouped.label(p);
        if (!options.select.threads) b += "  (their calls count with -t, or when given with -p)";
        b += '\n';
      }
      b += "  programs   ";
      bool any = false;
      for (auto& s : p.segments) {
        if (s.inherited) continue;
        if (any) b += "             ";
        b += time(s.start) + "  " + quote_argv(s.argv) + "\n";
        any = true;
      }
      if (!any) b += "(no exec: runs its parent's program)\n";
      if (p.failed_execs) b += "             " + std::to_string(p.failed_execs) + " failed exec attempts\n";
      if (!p.children.empty()) {
        b += "  children   " + std::to_string(p.children.size()) + "\n";
        for (ProcessIndex c : p.children)
          b += "    " + names.pid(c) + "  " + outcome_text(tree[c], end_stats) + "  " + ProcessNames::command(tree[c]) +
               "\n";
      }
    }
    if (trace.syscalls) {
      if (stats.have_durations)
        b += "  time       active " + ms(row.active) + " ms, wait " + ms(row.wait) + " ms, user " + ms(row.user()) +
             " ms, total " + ms(row.total) + " ms\n";
      b += "  syscalls   " + std::to_string(row.syscalls) + "\n";
      if (!row.calls.empty()) {
        b += '\n';
        write_stats_table(b, *trace.syscalls, row, stats.have_durations);
      }
      auto& mine = slowest_of(slow, row);
      if (!mine.empty()) {
        b += "\n  slowest opens\n";
        TextTable t({{"ms", true}, {"time"}, {"result", true}, {"path"}});
        for (auto* r : mine) {
          OpenedFile f = opened_file(*trace.syscalls, *r, scratch);
          std::string path(f.path);
          if (f.truncated) path += "…";
          t.add({ms(r->duration), time(r->start), result_text(*trace.syscalls, *r), path});
        }
        t.write(b, "  ");
      }
    }
    out.maybe_flush();
  }
  out.flush();
}

}  // namespace proctrace
