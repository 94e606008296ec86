// `render -d html`: one self-contained HTML file (no network requests) with a
// zoomable timeline of every process, nested under its parent, coloured by
// exit status, plus tables of failures and of the slowest processes. The data
// goes in as JSON; the page's own script draws it on a canvas, so it stays
// quick with 100,000 processes. The page's style, markup and script are the
// files in src/render/report/, embedded at build time (CMakeLists.txt).
// It also shows the answers of two build analyses: how many processes were
// working over time (a graph) and the critical path (its bars marked).
// A recording that ends with a snapshot gets `proctrace why`'s answer on
// top and its culprits flagged in the timeline.
#include <cstdio>

#include "analyze/concurrency.h"
#include "analyze/critical_path.h"
#include "analyze/why.h"
#include "analyze/tree_spans.h"
#include "render/command_text.h"
#include "render/html_report_assets.h"
#include "render/inherited_fds.h"
#include "render/renderer.h"
#include "render/timeline.h"

#include "io/json_text.h"

namespace proctrace {

namespace {

// Outcome codes as the page's script reads them (OUTCOME in the script).
int outcome_code(ProcessOutcome o) {
  switch (o) {
    case ProcessOutcome::Success: return 0;
    case ProcessOutcome::Failed: return 1;
    case ProcessOutcome::Signaled: return 2;
    case ProcessOutcome::Exited: return 3;
    case ProcessOutcome::Running: return 4;
    case ProcessOutcome::Lost: return 5;
  }
  return 3;
}

void append_html_escaped(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
}

// Appends a JSON string that is also safe inside a <script> element: '<'
// becomes \u003c, so no argv can close the element or open a comment.
void append_script_string(std::string& out, std::string_view s) {
  std::size_t from = out.size();
  json::append_string(out, s);
  if (out.find('<', from) == std::string::npos) return;
  std::string tail = out.substr(from);
  out.resize(from);
  for (char c : tail) {
    if (c == '<') out += "\\u003c";
    else out += c;
  }
}

class HtmlWriter {
 public:
  HtmlWriter(const Trace& trace, OutputFile& out)
      : trace_(trace), tree_(trace.tree), out_(out), stats_(trace.has_stats ? &trace.stats : nullptr) {
    t0_ = tree_.first_timestamp();
    end_ = recording_end(trace);
  }

  void write() {
    std::string title = recorded_command(trace_, {});
    auto& b = out_.buffer();
    b += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta name=\"generator\" content=\"proctrace\">\n<title>proctrace: ";
    append_html_escaped(b, title);
    b += "</title>\n<style>\n\n";
    b += kReportCss;
    b += "</style>\n</head>\n<body>\n";
    b += kReportBody;
    b += "<script type=\"application/json\" id=\"proctrace-data\">\n";
    write_data(title);
    b += "\n</script>\n<script>\n";
    b += kReportScript;
    b += "</script>\n</body>\n</html>\n";
    out_.flush();
  }

 private:
  Nanos rel(Nanos t) const { return t <= t0_ ? 0 : t - t0_; }

  void write_data(const std::string& title) {
    auto& b = out_.buffer();
    b += "{\"version\":1,\"title\":";
    append_script_string(b, title);
    b += ",\"command\":";
    append_script_string(b, trace_.meta.command.empty() ? title : quote_argv(trace_.meta.command));
    b += ",\"host\":";
    append_script_string(b, trace_.meta.host);
    b += ",\"kernel\":";
    append_script_string(b, trace_.meta.kernel);
    b += ",\"backend\":";
    append_script_string(b, trace_.from_strace ? std::string("strace log") : trace_.meta.backend);
    // Wall-clock time of the first event, when the recording knows it.
    b += ",\"wall_start_ms\":";
    if (trace_.meta.clock_offset_ns != 0) {
      json::append_int(b, trace_.meta.wall_clock_ns(t0_) / 1'000'000);
    } else {
      b += "null";
    }
    b += ",\"duration\":";
    json::append_uint(b, rel(end_));
    b += ",\"lost\":";
    json::append_uint(b, stats_ ? stats_->total_lost() : 0);
    b += ",\"root_status\":";
    if (stats_ && stats_->root_status) json::append_int(b, *stats_->root_status);
    else b += "null";

    // Processes: [pid, parent index (-1 for roots), start, end (-1: none),
    // outcome code, status text, first bar, bar count, cpu ns, peak KiB
    // (-1: not measured), failed execs]. Bars: [start, end,
    // flags (1 no exec, 2 open), command, and, where the recorder took the
    // exec's fd table, the inherited fds as text]. Times in ns since the
    // first event.
    // Two passes over the processes, counting bars in the first, so the bars
    // go straight to the output instead of a second copy of the page in memory.
    std::size_t bar_count = 0;
    b += ",\n\"processes\":[";
    for (const Process& p : tree_.processes()) {
      if (p.index) b += ",\n";
      std::size_t first = bar_count;
      for_each_bar(p, end_, [&](const Bar&) { ++bar_count; });
      b += '[';
      json::append_int(b, p.pid);
      b += ',';
      json::append_int(b, p.parent == kNoProcess ? -1 : static_cast<std::int64_t>(p.parent));
      b += ',';
      json::append_uint(b, rel(p.start));
      b += ',';
      if (p.end) json::append_uint(b, rel(*p.end));
      else b += "-1";
      b += ',';
      ProcessOutcome o = outcome(p, stats_);
      json::append_int(b, outcome_code(o));
      b += ',';
      std::string status = outcome_text(p, stats_);
      if (std::string change = group_change_text(p); !change.empty()) status += " · " + change;
      append_script_string(b, status);
      b += ',';
      json::append_uint(b, first);
      b += ',';
      json::append_uint(b, bar_count - first);
      b += ',';
      std::optional<std::uint64_t> cpu, peak;
      if (p.usage) cpu = p.usage->cpu_ns(), peak = p.usage->max_rss_kb;
      if (cpu) json::append_uint(b, *cpu); else b += "-1";
      b += ',';
      if (peak) json::append_uint(b, *peak); else b += "-1";
      b += ',';
      json::append_uint(b, p.failed_execs);
      b += ']';
      out_.maybe_flush();
    }
    const InheritedFds inherited(trace_);
    // "fds": true only when some exec's fd table was recorded (the page then
    // offers its toggle); absent otherwise.
    b += inherited.empty() ? "],\n\"bars\":[" : "],\n\"fds\":true,\n\"bars\":[";
    bar_count = 0;
    for (const Process& p : tree_.processes()) {
      for_each_bar(p, end_, [&](const Bar& bar) {
        if (bar_count++) b += ",\n";
        b += '[';
        json::append_uint(b, rel(bar.start));
        b += ',';
        json::append_uint(b, rel(bar.end));
        b += ',';
        json::append_int(b, (bar.no_exec ? 1 : 0) | (bar.open ? 2 : 0));
        b += ',';
        if (bar.segment && !bar.segment->argv.empty()) append_script_string(b, quote_argv(bar.segment->argv));
        else b += "\"\"";
        if (!inherited.empty() && bar.segment && !bar.no_exec) {
          std::string fds = inherited.text(p.index, bar.segment->start);
          if (!fds.empty()) {
            b += ',';
            append_script_string(b, fds);
          }
        }
        b += ']';
      });
      out_.maybe_flush();
    }
    b += "]";
    write_build_analyses();
    write_why();
    b += "}";
  }

  // "why": null without a snapshot, else {"verdict", "headline": [lines],
  // "culprits": [[process index, role]]} (analyze/why.h).
  void write_why() {
    auto& b = out_.buffer();
    b += ",\n\"why\":";
    if (trace_.snapshots.empty()) {
      b += "null";
      return;
    }
    WhyReport why = explain(trace_);
    b += "{\"verdict\":";
    append_script_string(b, why.verdict);
    b += ",\"headline\":[";
    for (std::size_t i = 0; i < why.headline.size(); ++i) {
      if (i) b += ',';
      append_script_string(b, why.headline[i]);
    }
    b += "],\"culprits\":[";
    bool first = true;
    for (const Culprit& c : culprits(why)) {
      if (!first) b += ',';
      first = false;
      b += '[';
      json::append_uint(b, c.process);
      b += ',';
      append_script_string(b, c.role);
      b += ']';
    }
    b += "]}";
  }

  // "concurrency": processes working (analyze/concurrency.h) as steps
  // [time, count], each count holding until the next step's time; and
  // "critical": the critical path's steps [process index, from, to] in time
  // order (stretches where no process ran are left out).
  void write_build_analyses() {
    auto& b = out_.buffer();
    BuildRecording spans = spans_of_tree(tree_, end_);
    {
      Concurrency c = concurrency(spans, true);
      b += ",\n\"concurrency\":{\"peak\":";
      json::append_uint(b, c.peak);
      b += ",\"average\":";
      char average[32];
      std::snprintf(average, sizeof average, "%.3f", c.average());
      b += average;
      b += ",\"serial\":";
      json::append_uint(b, c.serial);
      b += ",\"busy\":";
      json::append_uint(b, c.busy);
      b += ",\"steps\":[";
      for (std::size_t i = 0; i < c.at.size(); ++i) {
        if (i) b += ',';
        b += '[';
        json::append_uint(b, rel(c.at[i]));
        b += ',';
        json::append_uint(b, c.working[i]);
        b += ']';
        out_.maybe_flush();
      }
      b += "]}";
    }
    CriticalPath path = critical_path(spans);
    b += ",\n\"critical\":[";
    bool first = true;
    for (const CriticalStep& s : path.steps) {
      if (s.span == kNoSpan || s.duration() == 0) continue;
      if (!first) b += ',';
      first = false;
      b += '[';
      json::append_uint(b, s.span);
      b += ',';
      json::append_uint(b, rel(s.from));
      b += ',';
      json::append_uint(b, rel(s.to));
      b += ']';
      out_.maybe_flush();
    }
    b += ']';
  }

  const Trace& trace_;
  const ProcessTree& tree_;
  OutputFile& out_;
  const Stats* stats_;
  Nanos t0_ = 0;
  Nanos end_ = 0;
};

}  // namespace

void render_html(const Trace& trace, OutputFile& out, const RenderOptions&) { HtmlWriter(trace, out).write(); }

}  // namespace proctrace
