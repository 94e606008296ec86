// `proctrace critical-path`: the steps of the critical path in time order,
// led by the total and the step that cost the most.
#include <algorithm>
#include <charconv>

#include "analyze/build_views.h"
#include "analyze/critical_path.h"
#include "analyze/json_out.h"
#include "analyze/report_text.h"

namespace proctrace {

std::string seconds_text(Nanos ns) {
  // "%llu.%03llu" by hand: the views print this for every row, and
  // snprintf was an eighth of critical-path's time on a serial build.
  char buf[32];
  char* end = std::to_chars(buf, buf + 24, ns / 1'000'000'000).ptr;
  unsigned ms = static_cast<unsigned>(ns % 1'000'000'000 / 1'000'000);
  end[0] = '.';
  end[1] = static_cast<char>('0' + ms / 100);
  end[2] = static_cast<char>('0' + ms / 10 % 10);
  end[3] = static_cast<char>('0' + ms % 10);
  return std::string(buf, end + 4);
}

std::string signed_seconds_text(std::int64_t ns) {
  Nanos magnitude = ns < 0 ? Nanos(0) - static_cast<Nanos>(ns) : static_cast<Nanos>(ns);
  return (ns < 0 ? "-" : "+") + seconds_text(magnitude);
}

namespace {

// Labels of the processes on the path, each made once: a parent's label is
// printed between every two of its children on the path, and shortening a
// command line was a quarter of critical-path's time on a serial build.
class PathLabels {
 public:
  PathLabels(const BuildRecording& rec, const CriticalPath& path) : rec_(rec), labels_(rec.processes.size()) {
    for (auto& p : path.processes) labels_[p.span] = rec.label(p.span);
  }
  const std::string& label(std::uint32_t span) const { return labels_[span]; }
  std::string step_label(std::uint32_t span) const {
    if (span == kNoSpan) return "(no process running)";
    return labels_[span] + " (pid " + std::to_string(rec_.processes[span].pid) + ")";
  }

 private:
  const BuildRecording& rec_;
  std::vector<std::string> labels_;  // by span; empty off the path
};

}  // namespace

void view_critical_path(const BuildRecording& rec, const BuildViewOptions& options, OutputFile& out) {
  CriticalPath path = critical_path(rec);
  Nanos origin = rec.first;
  PathLabels labels(rec, path);
  if (options.json) {
    JsonListWriter list(out, {{"total_ns", path.total}, {"processes_on_path", path.processes.size()}}, "steps");
    // Rows written directly: a serial build has a step per job, and a Json
    // tree per row cost more than the analysis (critical-path --json on 1M
    // events: 2.7 s CPU with it).
    for (auto& s : path.steps) {
      {
        JsonRow j(list.begin_row());
        j.unum("from_ns", s.from - origin).unum("to_ns", s.to - origin).unum("own_ns", s.duration());
        j.unum("depth", s.depth).boolean("gap", s.waiting_parent);
        if (s.span == kNoSpan) {
          j.null("pid");
        } else {
          j.num("pid", rec.processes[s.span].pid);
          j.str("program", rec.program(rec.processes[s.span].program));
          j.str("command", labels.label(s.span));
        }
      }
      list.end_row();
    }
    // Item by item too: a serial build has a process on the path per job.
    list.next_list("by_process");
    for (auto& p : path.processes) {
      JsonRow(list.begin_row()).num("pid", rec.processes[p.span].pid).str("command", labels.label(p.span)).unum("own_ns", p.own);
      list.end_row();
    }
    list.finish();
    return;
  }

  std::string& b = out.buffer();
  if (path.steps.empty()) {
    b += "No processes in this recording: no critical path.\n";
    out.flush();
    return;
  }
  b += "Critical path: " + seconds_text(path.total) + " s through " + std::to_string(path.processes.size()) +
       " processes\n";
  if (!path.processes.empty()) {
    auto& top = path.processes.front();
    b += "Most of it: " + seconds_text(top.own) + " s (" + percent(top.own, path.total) + ") in " +
         labels.step_label(top.span) + "\n";
  }
  b += "\nSteps in time order (a gap: the process waited for nothing recorded, e.g. its own work or I/O)\n";
  // Written row by row, not through a TextTable: a serial build's path has
  // a step per job, and holding them all as cells would cost more than the
  // analysis. Times never exceed the recording's length, so its width fits.
  std::size_t width = std::max<std::size_t>(4, seconds_text(rec.last - origin).size());
  auto pad = [&](const std::string& s) { b.append(width > s.size() ? width - s.size() : 0, ' ') += s; };
  b += "  ";
  pad("at s");
  b += "  ";
  pad("for s");
  b += "  process\n";
  for (auto& s : path.steps) {
    b += "  ";
    pad(seconds_text(s.from - origin));
    b += "  ";
    pad(seconds_text(s.duration()));
    b += "  ";
    b.append(2 * std::min<std::uint32_t>(s.depth, 40), ' ');
    b += labels.step_label(s.span);
    if (s.waiting_parent && s.span != kNoSpan) b += "  [gap]";
    b += '\n';
    out.maybe_flush();
  }
  out.flush();
}

}  // namespace proctrace
