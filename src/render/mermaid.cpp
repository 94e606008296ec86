// `render -d mermaid`: a Gantt chart that pastes into the Mermaid live editor.
//
// Mermaid's gantt grammar ends a task's text at ':' and its data at '#' or
// ';', treats '%' near a line start as a comment and some leading words as
// keywords. Labels therefore carry those characters as Mermaid entity codes
// ("#58;" for ':'), which Mermaid decodes only after parsing, so any argv
// comes out as an intact, readable label.
//
// Failed bars carry Mermaid's `crit` tag (drawn red); with --critical-path
// the tag marks the bars on the critical path instead, and failures keep
// only their "[exit 1]" label, so the red means one thing.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <vector>

#include "analyze/critical_path.h"
#include "render/command_text.h"
#include "render/grouping.h"
#include "render/renderer.h"
#include "render/stream_view.h"
#include "render/timeline.h"

namespace proctrace {

namespace {

// Words that start a non-task statement in the gantt grammar (case-insensitive).
constexpr std::string_view kKeywords[] = {
    "gantt", "dateformat", "inclusiveenddates", "topaxis", "axisformat", "tickinterval", "includes",
    "excludes", "todaymarker", "weekday", "weekend", "title", "accdescription", "acctitle", "accdescr",
    "section", "click", "href", "call"};

bool starts_like_statement(std::string_view text) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (auto word : kKeywords) {
    if (text.size() < word.size()) continue;
    bool match = true;
    for (std::size_t i = 0; i < word.size() && match; ++i) match = lower(text[i]) == word[i];
    if (match) return true;
  }
  // A leading date (YYYY-MM-DD) is a token of its own.
  auto digit = [&](std::size_t i) { return i < text.size() && text[i] >= '0' && text[i] <= '9'; };
  return digit(0) && digit(1) && digit(2) && digit(3) && text.size() > 4 && text[4] == '-';
}

void append_entity(std::string& out, unsigned code) {
  out += '#';
  out += std::to_string(code);
  out += ';';
}

}  // namespace

// Appends text (one line, already free of control characters) so that Mermaid
// shows it unchanged as a task or section label.
void append_mermaid_label(std::string& out, std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (i == 0 && starts_like_statement(text)) {
      append_entity(out, static_cast<unsigned char>(c));
      continue;
    }
    switch (c) {
      case ':': case '#': case ';': case '%': case '<': case '>': case '"': case '\n': case '\r':
        append_entity(out, static_cast<unsigned char>(c));
        continue;
      default: break;
    }
    // U+0085, U+2028, U+2029 end a line for some line splitters.
    if (c == '\xC2' && i + 1 < text.size() && text[i + 1] == '\x85') {
      append_entity(out, 0x85);
      ++i;
      continue;
    }
    if (c == '\xE2' && i + 2 < text.size() && text[i + 1] == '\x80' && (text[i + 2] == '\xA8' || text[i + 2] == '\xA9')) {
      append_entity(out, text[i + 2] == '\xA8' ? 0x2028 : 0x2029);
      i += 2;
      continue;
    }
    out += c;
  }
}

namespace {

// Bar labels: short_command's defaults, or --truncate N characters at most.
ShortenLimits bar_limits(const RenderOptions& options) {
  ShortenLimits limits;
  if (options.truncate) {
    limits.max_total = options.truncate;
    limits.max_arg = std::min(limits.max_arg, options.truncate);
  }
  return limits;
}

// The chart is grouped by parent, and a parent's section can only be
// written once all its children are known, so everything is collected
// first; but only as compact text and numbers, taken from each process as it
// ends, so memory follows the processes alive at once plus ~80 bytes a bar.
class MermaidView : public StreamView {
 public:
  MermaidView(std::string path, const RenderOptions& options)
      : StreamView(std::move(path)), critical_path_(options.critical_path), include_(options.include),
        bar_limits_(bar_limits(options)) {}
  MermaidView(int fd, std::string name, const RenderOptions& options)
      : StreamView(fd, std::move(name)), critical_path_(options.critical_path), include_(options.include),
        bar_limits_(bar_limits(options)) {}

  void process_started(const Process& p, const Process* parent) override {
    if (nodes_.size() <= p.serial) nodes_.resize(p.serial + 1);
    Node& n = nodes_[p.serial];
    n.parent = parent ? static_cast<std::uint32_t>(parent->serial) : kNone;
    n.start = p.start;
    if (parent) nodes_[parent->serial].has_children = true;
  }

  void process_ended(const Process& p) override {
    Node& n = nodes_[p.serial];
    n.pid = p.pid;
    n.end = p.end ? *p.end : kOpenEnd;
    n.first_bar = static_cast<std::uint32_t>(bars_.size());
    n.drawn = include_.empty() || (p.serial < include_.size() && include_[p.serial]);
    if (n.parent != kNone && n.drawn) nodes_[n.parent].draws_children = true;
    // Without Stats, only running and lost cannot be told apart yet.
    const ProcessOutcome o = outcome(p, nullptr);
    for_each_bar(p, kOpenEnd, [&](const Bar& bar) {
      if (!n.drawn) return;
      BarLine line;
      line.pid = p.pid;
      line.start = bar.start;
      line.end = bar.open ? kOpenEnd : bar.end;
      std::string label;
      if (bar.segment && !bar.segment->argv.empty()) label = short_command(bar.segment->argv, bar_limits_);
      else label = "pid " + std::to_string(p.pid);
      if (bar.no_exec) {
        label += " [no exec]";
        line.tag = "done";
      }
      if (bar.last) {
        if (o == ProcessOutcome::Running) {
          line.unexited = true;  // running or lost: known from Stats at the end
        } else if (o == ProcessOutcome::Failed || o == ProcessOutcome::Signaled) {
          label += " [" + outcome_text(p, nullptr) + "]";
          if (!critical_path_) line.tag = "crit";
        }  // an exit without status (original proctrace files): the bar's end says it all
      }
      line.label = store(label);
      bars_.push_back(line);
    });
    n.bars = static_cast<std::uint32_t>(bars_.size() - n.first_bar);
    // Only roots and parents get a section; recorded_command wants the first root.
    if (n.has_children || n.parent == kNone) {
      std::string title = "pid " + std::to_string(p.pid);
      if (const auto* argv = p.command()) {
        title += ' ';
        title += short_command(*argv, {40, 28});
      }
      n.title = store(title);
      // Without a Meta command the chart is named after the first root.
      if (n.parent == kNone && p.serial < first_root_) {
        first_root_ = p.serial;
        first_root_command_ = p.command() ? short_command(*p.command(), {48, 60}) : "";
      }
    }
  }

  void finish(const TraceSummary& s) override {
    stats_ = s.has_stats ? s.stats : nullptr;
    t0_ = s.first_timestamp;
    end_ = s.last_timestamp;
    auto& b = out().buffer();
    Nanos span = end_ - t0_;
    // Section names sit left of the bars; make room for the longest one
    // (Mermaid's default fits about ten characters).
    b += "---\nconfig:\n  gantt:\n    leftPadding: ";
    b += std::to_string(20 + 7 * longest_section_title());
    b += "\n---\ngantt\n    title ";
    std::string title = "proctrace: ";
    title += !header_.meta->command.empty() ? short_command(header_.meta->command, {48, 60})
             : !first_root_command_.empty() ? first_root_command_
                                            : std::string("process trace");
    title += " (time in seconds since start)";
    append_mermaid_label(b, title);
    // Relative milliseconds as dates near the epoch; the axis shows seconds
    // since start with %s, which, unlike %H:%M or %S, no time zone shifts and
    // nothing wraps at 60 s.
    b += "\n    dateFormat x\n    axisFormat ";
    b += span < 10'000'000'000 ? "%s.%L" : "%s";
    b += "\n    todayMarker off\n";

    if (critical_path_) find_critical_path();

    // Children by parent; serial order is fork order.
    std::vector<std::uint32_t> parents(nodes_.size());
    for (std::size_t i = 0; i < nodes_.size(); ++i) parents[i] = nodes_[i].parent;
    const Grouping children(parents, nodes_.size());
    for (std::uint32_t root = 0; root < nodes_.size(); ++root) {
      if (nodes_[root].parent != kNone) continue;
      if (nodes_[root].drawn) {
        section(root, "");
        bars_of(root);
      }
      // Pre-order over the subtree, one section per parent holding its
      // children; iterative, as chains of subshells can be deep.
      std::vector<std::uint32_t> stack{root};
      while (!stack.empty()) {
        std::uint32_t p = stack.back();
        stack.pop_back();
        if (children.empty(p)) continue;
        stack.insert(stack.end(), children[p].rbegin(), children[p].rend());
        if (!nodes_[p].draws_children) continue;  // none drawn (RenderOptions::include)
        section(p, kChildrenOf);
        for (std::uint32_t c : children[p]) bars_of(c);
      }
    }
  }

 private:
  static constexpr std::uint32_t kNone = kUngrouped;
  static constexpr Nanos kOpenEnd = ~Nanos{0};  // drawn to the end of the recording
  static constexpr std::string_view kChildrenOf = "children of ";

  struct Text {
    std::size_t at = 0;
    std::uint32_t size = 0;
  };
  struct Node {
    std::uint32_t parent = kNone;
    Pid pid = 0;
    Nanos start = 0;
    Nanos end = kOpenEnd;  // kOpenEnd: no exit recorded
    std::uint32_t first_bar = 0;
    std::uint32_t bars = 0;
    Text title;  // roots and parents only
    bool has_children = false;
    bool drawn = true;            // in RenderOptions::include, or no selection
    bool draws_children = false;  // a child is drawn: its section is written
  };
  struct BarLine {
    Nanos start = 0;
    Nanos end = 0;  // kOpenEnd: still running
    Text label;
    Pid pid = 0;
    const char* tag = nullptr;
    bool unexited = false;  // last bar of a process without exit
  };

  Text store(std::string_view s) {
    Text t{text_.size(), static_cast<std::uint32_t>(s.size())};
    text_ += s;
    return t;
  }
  std::string_view text(Text t) const { return std::string_view(text_).substr(t.at, t.size); }

  std::size_t longest_section_title() const {
    std::size_t longest = 0;
    for (std::uint32_t i = 0; i < nodes_.size(); ++i) {
      const Node& n = nodes_[i];
      if (n.draws_children) longest = std::max(longest, kChildrenOf.size() + count_chars(text(n.title)));
      if (n.parent == kNone && n.drawn) longest = std::max(longest, count_chars(text(n.title)));
    }
    return longest;
  }

  void section(std::uint32_t i, std::string_view prefix) {
    auto& b = out().buffer();
    b += "    section ";
    std::string title(prefix);
    title += text(nodes_[i].title);
    append_mermaid_label(b, title);
    b += '\n';
  }

  void bars_of(std::uint32_t i) {
    const Node& n = nodes_[i];
    for (std::uint32_t k = n.first_bar; k < n.first_bar + n.bars; ++k) {
      const BarLine& bar = bars_[k];
      auto& b = out().buffer();
      std::string label(text(bar.label));
      const char* tag = bar.tag;
      if (bar.unexited) {
        bool alive = !stats_ || std::find(stats_->alive_at_end.begin(), stats_->alive_at_end.end(), bar.pid) !=
                                    stats_->alive_at_end.end();
        label += alive ? " [running]" : " [no exit seen]";
        tag = "active";
      }
      b += "    ";
      append_mermaid_label(b, label);
      b += " :";
      // Tags combine: a running or never-exec'd bar on the path is both.
      if (critical_path_ && on_critical_path(i, bar)) b += "crit, ";
      if (tag) {
        b += tag;
        b += ", ";
      }
      // Mermaid dates have millisecond resolution; a bar keeps at least 1 ms
      // so that short processes stay visible.
      Nanos end = bar.end == kOpenEnd ? std::max(end_, bar.start) : bar.end;
      std::int64_t start_ms = ms(bar.start);
      std::int64_t end_ms = std::max(ms(end), start_ms + 1);
      b += std::to_string(start_ms);
      b += ", ";
      b += std::to_string(end_ms);
      b += '\n';
      out().maybe_flush();
    }
  }

  // The critical path over the processes by serial; its steps sorted by
  // process, for on_critical_path.
  void find_critical_path() {
    BuildRecording spans;
    spans.processes.resize(nodes_.size());
    for (std::uint32_t i = 0; i < nodes_.size(); ++i) {
      const Node& n = nodes_[i];
      ProcessSpan& s = spans.processes[i];
      s.parent = n.parent == kNone ? kNoSpan : n.parent;
      s.start = n.start;
      s.end = std::max(n.end == kOpenEnd ? end_ : n.end, n.start);
    }
    path_steps_ = critical_path(spans).steps;
    std::sort(path_steps_.begin(), path_steps_.end(),
              [](const CriticalStep& a, const CriticalStep& b) { return a.span < b.span; });
  }

  // Whether the path runs through process i while the bar is drawn.
  bool on_critical_path(std::uint32_t i, const BarLine& bar) const {
    auto it = std::lower_bound(path_steps_.begin(), path_steps_.end(), i,
                               [](const CriticalStep& s, std::uint32_t span) { return s.span < span; });
    Nanos bar_end = bar.end == kOpenEnd ? end_ : bar.end;
    for (; it != path_steps_.end() && it->span == i; ++it)
      if (it->from < bar_end && bar.start < it->to) return true;
    return false;
  }

  std::int64_t ms(Nanos t) const {
    return t <= t0_ ? 0 : static_cast<std::int64_t>((t - t0_ + 500'000) / 1'000'000);
  }

  std::vector<Node> nodes_;  // by serial
  std::vector<BarLine> bars_;
  std::string text_;  // labels and titles, back to back
  std::uint64_t first_root_ = ~std::uint64_t{0};
  std::string first_root_command_;
  const Stats* stats_ = nullptr;
  Nanos t0_ = 0;
  Nanos end_ = 0;
  bool critical_path_ = false;
  std::vector<bool> include_;  // by serial; empty: every process
  ShortenLimits bar_limits_;
  std::vector<CriticalStep> path_steps_;  // by process (span = serial)
};

}  // namespace

std::unique_ptr<TraceStreamSink> mermaid_view(const std::string& path, const RenderOptions& options) {
  return std::make_unique<MermaidView>(path, options);
}

std::unique_ptr<TraceStreamSink> mermaid_view_to_fd(int fd, const RenderOptions& options) {
  return std::make_unique<MermaidView>(fd, "the Mermaid chart", options);
}

}  // namespace proctrace
