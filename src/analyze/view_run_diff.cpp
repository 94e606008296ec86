// `proctrace diff A B`: the total change first, then every run whose own
// time changed by at least --threshold, largest first, then status changes.
#include <algorithm>

#include "analyze/build_views.h"
#include "analyze/json_out.h"
#include "analyze/report_text.h"
#include "analyze/run_diff.h"
#include "render/command_text.h"

namespace proctrace {

namespace {

std::string status_text(const BuildRecording& rec, const ProgramRun& run) {
  if (!run.last) return "exec'd on";
  const ProcessSpan& p = rec.processes[run.process];
  if (!p.exited) return "running";
  if (p.exit.signal) return "signal " + std::to_string(*p.exit.signal);
  if (p.exit.code) return "exit " + std::to_string(*p.exit.code);
  return "exited";
}

const char* kind(const RunChange& c) {
  if (c.before == kNoRun) return "new";
  if (c.after == kNoRun) return "gone";
  return c.impact() >= 0 ? "slower" : "faster";
}

std::string change_percent(Nanos before, Nanos after) {
  if (before == 0) return "";
  char buf[32];
  double p = (static_cast<double>(after) - static_cast<double>(before)) * 100.0 / static_cast<double>(before);
  std::snprintf(buf, sizeof buf, "%+.1f%%", p);
  return buf;
}

// The run as shown: its command, from whichever side has it.
const ProgramRun& run_of(const BuildRecording& a, const BuildRecording& b, const RunChange& c) {
  return c.before != kNoRun ? a.runs[c.before] : b.runs[c.after];
}

Json side_json(const BuildRecording& rec, std::uint32_t run, Nanos wall, Nanos own) {
  if (run == kNoRun) return nullptr;
  const ProgramRun& r = rec.runs[run];
  return {{"pid", rec.processes[r.process].pid},
          {"start_ns", r.start - rec.first},
          {"wall_ns", wall},
          {"own_ns", own},
          {"status", status_text(rec, r)}};
}

}  // namespace

void view_run_diff(const BuildRecording& a, const BuildRecording& b, const BuildViewOptions& options,
                   OutputFile& out) {
  RunDiff diff = diff_runs(a, b);
  auto threshold = static_cast<std::int64_t>(options.threshold * 1e9);
  auto shown = [&](const RunChange& c) {
    std::int64_t i = c.impact();
    return (i < 0 ? -i : i) >= threshold && (c.impact() != 0 || !c.matched());
  };
  std::int64_t total = static_cast<std::int64_t>(diff.wall_after) - static_cast<std::int64_t>(diff.wall_before);
  std::size_t matched = 0, added = 0, gone = 0;
  for (auto& c : diff.changes) (c.matched() ? matched : c.before == kNoRun ? added : gone) += 1;

  if (options.json) {
    JsonListWriter list(out,
                        {{"wall_before_ns", diff.wall_before},
                         {"wall_after_ns", diff.wall_after},
                         {"wall_change_ns", total},
                         {"matched", matched},
                         {"new", added},
                         {"gone", gone},
                         {"threshold_ns", threshold}},
                        "changes");
    std::size_t n = 0;
    for (auto& c : diff.changes) {
      if (!shown(c) || (options.count && n >= options.count)) continue;
      ++n;
      const ProgramRun& r = run_of(a, b, c);
      const BuildRecording& rec = c.before != kNoRun ? a : b;
      list.add({{"kind", kind(c)},
                {"program", rec.program(r.program)},
                {"command", quote_argv(rec.argv(r))},
                {"own_change_ns", c.impact()},
                {"before", side_json(a, c.before, c.wall_before, c.own_before)},
                {"after", side_json(b, c.after, c.wall_after, c.own_after)}});
    }
    Json status = Json::array();
    for (auto& c : diff.status_changes)
      status.push_back({{"command", quote_argv(a.argv(a.runs[c.before]))},
                        {"before", status_text(a, a.runs[c.before])},
                        {"after", status_text(b, b.runs[c.after])}});
    list.finish({{"status_changes", status}});
    return;
  }

  std::string& t = out.buffer();
  t += "Wall clock " + seconds_text(diff.wall_before) + " s -> " + seconds_text(diff.wall_after) + " s (" +
       signed_seconds_text(total) + " s";
  if (std::string p = change_percent(diff.wall_before, diff.wall_after); !p.empty()) t += ", " + p;
  t += ")\n";
  const RunChange* top = nullptr;
  for (auto& c : diff.changes)
    if (c.impact() != 0) {
      top = &c;
      break;
    }
  if (top) {
    const ProgramRun& r = run_of(a, b, *top);
    const BuildRecording& rec = top->before != kNoRun ? a : b;
    t += std::string("Largest change: ") + kind(*top) + " " + short_command(rec.argv(r)) + " " +
         signed_seconds_text(top->impact()) + " s own time\n";
  }
  if (!diff.status_changes.empty()) {
    t += std::to_string(diff.status_changes.size()) + " run(s) changed status:\n";
    // As many as the table shows: a build that broke everywhere must not
    // bury the rest of the answer under thousands of lines.
    std::size_t listed = options.count ? std::min(options.count, diff.status_changes.size())
                                       : diff.status_changes.size();
    for (std::size_t i = 0; i < listed; ++i) {
      const RunChange& c = diff.status_changes[i];
      t += "  " + short_command(a.argv(a.runs[c.before])) + ": " + status_text(a, a.runs[c.before]) + " -> " +
           status_text(b, b.runs[c.after]) + "\n";
    }
    if (listed < diff.status_changes.size())
      t += "  ... " + std::to_string(diff.status_changes.size() - listed) + " more (-c 0 shows all)\n";
  }
  t += std::to_string(matched) + " runs matched, " + std::to_string(added) + " new, " + std::to_string(gone) +
       " gone\n\nChanges in own time (wall time minus waiting for children), largest first";
  if (threshold) t += "; at least " + seconds_text(static_cast<Nanos>(threshold)) + " s";
  t += "\n";
  TextTable table({{"change s", true},
                   {"", false},
                   {"own before", true},
                   {"own after", true},
                   {"wall before", true},
                   {"wall after", true},
                   {"command", false}});
  std::size_t n = 0, hidden = 0;
  for (auto& c : diff.changes) {
    if (!shown(c)) continue;
    if (options.count && n >= options.count) {
      ++hidden;
      continue;
    }
    ++n;
    const ProgramRun& r = run_of(a, b, c);
    const BuildRecording& rec = c.before != kNoRun ? a : b;
    auto cell = [&](bool present, Nanos v) { return present ? seconds_text(v) : std::string("-"); };
    table.add({signed_seconds_text(c.impact()), kind(c), cell(c.before != kNoRun, c.own_before),
               cell(c.after != kNoRun, c.own_after), cell(c.before != kNoRun, c.wall_before),
               cell(c.after != kNoRun, c.wall_after), short_command(rec.argv(r))});
  }
  if (table.empty()) t += "  (none)\n";
  else table.write(t);
  if (hidden) t += "  ... " + std::to_string(hidden) + " more (-c 0 shows all)\n";
  out.flush();
}

}  // namespace proctrace
