#include "render/summary_markdown.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/mman.h>
#include <unistd.h>

#include "analyze/why.h"
#include "load/trace_stream.h"
#include "render/command_text.h"
#include "render/renderer.h"
#include "render/timeline.h"

namespace proctrace {

namespace {

// Text from a recording inside a Markdown code span or table cell: a
// backtick would end the span and a '|' the cell, and control characters
// are made visible by short_command already.
std::string cell_code(std::string_view text) {
  std::string out = "`";
  for (char c : text) {
    if (c == '`') out += '\'';
    else if (c == '|') out += "\\|";
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
  out += '`';
  return out;
}

// A fence longer than any run of backticks in the text, so no line of a
// recording can close the block early.
std::string fence_for(std::string_view text) {
  std::size_t run = 0, longest = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return std::string(std::max<std::size_t>(3, longest + 1), '`');
}

std::string command_of(const Process& p) {
  if (const auto* argv = p.command()) return short_command(*argv);
  return "pid " + std::to_string(p.pid);
}

Nanos duration_of(const Process& p, Nanos end) {
  Nanos last = p.end ? *p.end : end;
  return last > p.start ? last - p.start : 0;
}

bool failed(const Process& p, const Stats* stats) {
  auto o = outcome(p, stats);
  return o == ProcessOutcome::Failed || o == ProcessOutcome::Signaled;
}

class MemoryFile {
 public:
  MemoryFile() : fd_(::memfd_create("proctrace-summary", MFD_CLOEXEC)) {
    if (fd_ < 0) throw WriteError(std::string("memfd_create: ") + std::strerror(errno));
  }
  ~MemoryFile() { ::close(fd_); }
  int fd() const { return fd_; }
  std::string text() const {
    std::string out;
    char buf[1 << 16];
    for (off_t at = 0;;) {
      ssize_t n = ::pread(fd_, buf, sizeof buf, at);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return out;
      out.append(buf, static_cast<std::size_t>(n));
      at += n;
    }
  }

 private:
  int fd_;
};

}  // namespace

std::string mermaid_chart(const Trace& trace, const std::vector<bool>& include) {
  MemoryFile file;
  RenderOptions options;
  options.include = include;
  auto view = mermaid_view_to_fd(file.fd(), options);
  replay_trace(trace, *view);
  return file.text();
}

namespace {

void status_line(std::string& md, const Trace& trace, const WhyReport& why, const Stats* stats) {
  md += "### proctrace: ";
  md += cell_code(recorded_command(trace, {60, 120}));
  md += " — ";
  if (why.root_status) {
    const ExitStatus& s = *why.root_status;
    if (s.signal) md += "killed by signal " + std::to_string(*s.signal);
    else md += "exit " + std::to_string(s.code.value_or(0));
  } else {
    md += why.verdict == "running" ? "still running" : "no exit status";
  }
  const Nanos span = recording_end(trace) - trace.tree.first_timestamp();
  md += ", " + format_duration(why.command_seconds ? static_cast<Nanos>(*why.command_seconds * 1e9) : span);
  md += ", " + std::to_string(trace.tree.size()) + (trace.tree.size() == 1 ? " process" : " processes");
  std::size_t failures = 0;
  for (const Process& p : trace.tree.processes()) failures += failed(p, stats);
  if (failures) md += ", " + std::to_string(failures) + " failed";
  md += "\n\n";
}

void why_section(std::string& md, const WhyReport& why) {
  if (why.headline.empty()) return;
  std::string text;
  for (const auto& line : why.headline) text += line + "\n";
  const std::string fence = fence_for(text);
  md += "#### Why (`proctrace why`): " + why.verdict + "\n\n" + fence + "text\n" + text + fence + "\n\n";
}

void failures_section(std::string& md, const Trace& trace, const Stats* stats, std::size_t limit) {
  std::vector<const Process*> rows;
  for (const Process& p : trace.tree.processes())
    if (failed(p, stats)) rows.push_back(&p);
  if (rows.empty()) return;
  md += "#### Failed processes (" + std::to_string(rows.size()) + ")\n\n";
  md += "| pid | program | status | duration |\n|---:|---|---|---:|\n";
  const Nanos end = recording_end(trace);
  for (std::size_t i = 0; i < rows.size() && i < limit; ++i) {
    const Process& p = *rows[i];
    md += "| " + std::to_string(p.pid) + " | " + cell_code(command_of(p)) + " | " + outcome_text(p, stats) + " | " +
          format_duration(duration_of(p, end)) + " |\n";
  }
  if (rows.size() > limit) md += "\n… and " + std::to_string(rows.size() - limit) + " more (report.html lists all)\n";
  md += "\n";
}

void slowest_section(std::string& md, const Trace& trace, const Stats* stats, std::size_t limit) {
  const Nanos end = recording_end(trace);
  std::vector<const Process*> rows;
  for (const Process& p : trace.tree.processes()) rows.push_back(&p);
  const std::size_t n = std::min(limit, rows.size());
  std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(n), rows.end(),
                    [&](const Process* a, const Process* b) { return duration_of(*a, end) > duration_of(*b, end); });
  if (n == 0) return;
  md += "#### Slowest processes\n\n| duration | pid | command | status |\n|---:|---:|---|---|\n";
  for (std::size_t i = 0; i < n; ++i) {
    const Process& p = *rows[i];
    md += "| " + format_duration(duration_of(p, end)) + " | " + std::to_string(p.pid) + " | " +
          cell_code(command_of(p)) + " | " + outcome_text(p, stats) + " |\n";
  }
  md += "\n";
}

// The whole chart when it fits the budget; else the failed processes and
// then the longest ones, as many as fit (found by bisection: each try
// renders the chart again, which takes milliseconds for thousands of bars).
void chart_section(std::string& md, const Trace& trace, const Stats* stats, std::size_t budget) {
  std::string chart = mermaid_chart(trace);
  std::string note;
  if (chart.size() > budget) {
    const Nanos end = recording_end(trace);
    std::vector<const Process*> ranked;
    for (const Process& p : trace.tree.processes()) ranked.push_back(&p);
    std::stable_sort(ranked.begin(), ranked.end(), [&](const Process* a, const Process* b) {
      bool fa = failed(*a, stats), fb = failed(*b, stats);
      if (fa != fb) return fa;
      return duration_of(*a, end) > duration_of(*b, end);
    });
    auto render_first = [&](std::size_t k) {
      std::vector<bool> include(trace.tree.size(), false);
      for (std::size_t i = 0; i < k; ++i) include[ranked[i]->index] = true;
      return mermaid_chart(trace, include);
    };
    std::size_t lo = 0, hi = ranked.size();  // lo fits (an empty chart does), hi does not
    std::string best = render_first(0);
    while (hi - lo > 1) {
      std::size_t mid = lo + (hi - lo) / 2;
      std::string c = render_first(mid);
      if (c.size() <= budget) {
        lo = mid;
        best = std::move(c);
      } else {
        hi = mid;
      }
    }
    chart = std::move(best);
    std::size_t failures = 0;
    for (std::size_t i = 0; i < lo; ++i) failures += failed(*ranked[i], stats);
    note = "_The chart shows " + std::to_string(lo) + " of " + std::to_string(ranked.size()) +
           " processes (" + std::to_string(failures) + " failed, then the longest); " +
           std::to_string(ranked.size() - lo) +
           " are left out to keep the block renderable. chart.mmd and report.html have them all._\n\n";
  }
  const std::string fence = fence_for(chart);
  md += "#### Timeline\n\n" + fence + "mermaid\n" + chart;
  if (!chart.empty() && chart.back() != '\n') md += '\n';
  md += fence + "\n\n" + note;
}

}  // namespace

std::string summary_markdown(const Trace& trace, const SummaryOptions& options) {
  const Stats* stats = trace.has_stats ? &trace.stats : nullptr;
  const WhyReport why = explain(trace);
  std::string md;
  status_line(md, trace, why, stats);
  why_section(md, why);
  failures_section(md, trace, stats, options.failures);
  slowest_section(md, trace, stats, options.slowest);
  chart_section(md, trace, stats, options.mermaid_budget);
  return md;
}

}  // namespace proctrace
