// `proctrace summary`: the processes that spent the most time in syscalls,
// split into active and wait time (call_stats.h defines both), and the
// session's totals. On an eBPF recording only lifetimes and children exist.
#include <algorithm>

#include "analyze/analyze_views.h"
#include "analyze/call_stats.h"
#include "analyze/json_out.h"
#include "analyze/report_text.h"
#include "model/thread_grouping.h"
#include "render/command_text.h"

namespace proctrace {


void view_summary(const Trace& trace, const AnalyzeOptions& options, OutputFile& out) {
  Selection selection = select_processes(trace.tree, options.select);
  TraceCallStats stats = compute_call_stats(trace, selection, {.per_syscall = false});
  bool timed = stats.have_calls && stats.have_durations;
  // Without syscall times the only meaningful default is the lifetime.
  std::string key = options.sort.empty() ? (timed ? "active_time" : "total_time") : options.sort;

  std::vector<const ProcessRow*> rows;
  for (auto& r : stats.rows) rows.push_back(&r);
  sort_process_rows(trace, rows, key);
  std::size_t shown = options.count && options.count < rows.size() ? options.count : rows.size();

  std::size_t threads = 0, running = 0;
  for (auto& r : stats.rows) {
    threads += r.tids.size();
    if (r.process != kNoProcess && !trace.tree[r.process].exited()) ++running;
  }
  std::uint64_t untimed = 0;
  for (auto& r : stats.rows) untimed += r.untimed;
  Nanos first = stats.first, last = stats.last;

  ProcessNames names(trace.tree);
  TimeOfDay time(trace.meta);
  auto pid_text = [&](const ProcessRow& r) {
    return r.process == kNoProcess ? std::to_string(r.pid) : names.pid(r.process);
  };
  InferredThreadGroups grouped(trace.meta);
  auto command = [&](const ProcessRow& r) {
    return r.process == kNoProcess ? std::string()
                                   : ProcessNames::command(trace.tree[r.process]) + grouped.label(trace.tree[r.process]);
  };
  auto label = [&](const ProcessRow& r) {
    if (r.process == kNoProcess) return std::string();
    const Process& p = trace.tree[r.process];
    std::string text = p.command() ? short_command(*p.command()) : std::string();
    std::string inferred = grouped.label(p);
    return text.empty() && !inferred.empty() ? inferred.substr(1) : text + inferred;
  };

  if (options.json) {
    JsonListWriter list(out,
                        {{"sort", key}, {"have_syscalls", stats.have_calls}, {"have_durations", stats.have_durations}},
                        "processes");
    for (std::size_t i = 0; i < shown; ++i) {
      const ProcessRow& r = *rows[i];
      Json j = {{"pid", r.pid}, {"process", r.process == kNoProcess ? Json(nullptr) : Json(r.process)}};
      if (stats.have_calls) {
        j["active_ns"] = r.active;
        j["wait_ns"] = r.wait;
      }
      j["total_ns"] = r.total;
      if (stats.have_calls) {
        j["user_ns"] = r.user();
        j["active_share"] = stats.active ? static_cast<double>(r.active) / static_cast<double>(stats.active) : 0.0;
        j["syscalls"] = r.syscalls;
        j["syscalls_without_duration"] = r.untimed;
      }
      j["children"] = children_of(trace, r);
      j["exit"] = r.process == kNoProcess ? Json(nullptr) : exit_json(trace.tree[r.process]);
      j["outcome"] = row_outcome(trace, r);
      j["threads"] = r.tids;
      if (r.process != kNoProcess && grouped.has(trace.tree[r.process])) j["threads_inferred"] = true;
      j["command"] = command(r);
      list.add(j);
    }
    Json totals = {{"processes", stats.rows.size()},
                   {"running_at_end", running},
                   {"threads", threads},
                   {"first_ns", first},
                   {"last_ns", last}};
    if (stats.have_calls) {
      totals["syscalls"] = stats.syscalls;
      totals["syscalls_without_duration"] = untimed;
      totals["active_ns"] = stats.active;
      totals["wait_ns"] = stats.wait;
      totals["user_ns"] = stats.total - std::min(stats.total, stats.active + stats.wait);
    }
    totals["total_ns"] = stats.total;
    list.finish({{"totals", totals}});
    return;
  }

  std::string& b = out.buffer();
  b += "Top " + std::to_string(shown) + " of " + std::to_string(rows.size()) + " processes by " + key +
       " (times in ms)\n";
  if (!stats.have_calls)
    b += "This input is a recording of lifecycle events: active/wait time and syscall counts need an strace log"
         " (strace -f -T).\n";
  else if (!stats.have_durations)
    b += "The strace log has no call durations (strace -T): active and wait time are unknown.\n";
  auto stamps = trace.meta.extra.find("strace_timestamps");
  if (stamps != trace.meta.extra.end() && stamps->second.find("coarser") != std::string::npos)
    b += "Timestamps are coarser than call durations (strace -t): lifetimes are known to a second; a total is at "
         "least its active + wait.\n";
  b += '\n';
  std::vector<TextTable::Column> columns = {{"pid", true}};
  if (timed) columns.insert(columns.end(), {{"active", true}, {"wait", true}});
  columns.push_back({"total", true});
  if (timed) columns.insert(columns.end(), {{"user", true}, {"% active", true}});
  if (stats.have_calls) columns.push_back({"syscalls", true});
  columns.insert(columns.end(), {{"children", true}, {"exit", false}, {"command", false}});
  TextTable table(columns);
  for (std::size_t i = 0; i < shown; ++i) {
    const ProcessRow& r = *rows[i];
    std::vector<std::string> cells = {pid_text(r)};
    if (timed) cells.insert(cells.end(), {ms(r.active), ms(r.wait)});
    cells.push_back(ms(r.total));
    if (timed) cells.insert(cells.end(), {ms(r.user()), percent(r.active, stats.active)});
    if (stats.have_calls) cells.push_back(std::to_string(r.syscalls));
    cells.insert(cells.end(), {std::to_string(children_of(trace, r)), row_outcome(trace, r), label(r)});
    table.add(std::move(cells));
  }
  table.write(out);

  b += "\nSession";
  if (!selection.everything()) b += " (selected processes)";
  b += "\n  processes   " + std::to_string(stats.rows.size());
  if (running) b += " (" + std::to_string(running) + " without an exit)";
  if (stats.have_calls) b += ", " + std::to_string(threads) + " threads that made calls";
  b += '\n';
  if (stats.have_calls) {
    b += "  syscalls    " + std::to_string(stats.syscalls);
    if (untimed) b += " (" + std::to_string(untimed) + " without a duration)";
    b += '\n';
  }
  if (timed) {
    Nanos user = stats.total - std::min(stats.total, stats.active + stats.wait);
    b += "  active      " + ms(stats.active) + " ms\n";
    b += "  wait        " + ms(stats.wait) + " ms\n";
    b += "  user        " + ms(user) + " ms\n";
  }
  b += "  total       " + ms(stats.total) + " ms (lifetimes of the processes' threads, summed)\n";
  b += "  wall clock  " + time(first) + " -> " + time(last) + " (" + ms(last - first) + " ms)\n";
  out.flush();
}

}  // namespace proctrace
