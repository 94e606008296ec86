// `render -d mermaid`: a Gantt chart that pastes into the Mermaid live editor.
//
// Mermaid's gantt grammar ends a task's text at ':' and its data at '#' or
// ';', treats '%' near a line start as a comment and some leading words as
// keywords. Labels therefore carry those characters as Mermaid entity codes
// ("#58;" for ':'), which Mermaid decodes only after parsing, so any argv
// comes out as an intact, readable label.
#include <cmath>
#include <string_view>

#include "render/command_text.h"
#include "render/renderer.h"
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

class MermaidWriter {
 public:
  MermaidWriter(const Trace& trace, OutputFile& out)
      : trace_(trace), tree_(trace.tree), out_(out), stats_(trace.has_stats ? &trace.stats : nullptr) {
    t0_ = tree_.first_timestamp();
    end_ = recording_end(trace);
  }

  void write() {
    auto& b = out_.buffer();
    Nanos span = end_ - t0_;
    // Section names sit left of the bars; make room for the longest one
    // (Mermaid's default fits about ten characters).
    b += "---\nconfig:\n  gantt:\n    leftPadding: ";
    b += std::to_string(20 + 7 * longest_section_title());
    b += "\n---\ngantt\n    title ";
    std::string title = "proctrace: " + recorded_command(trace_, {48, 60});
    title += " (time in seconds since start)";
    append_mermaid_label(b, title);
    // Relative milliseconds as dates near the epoch; the axis shows seconds
    // since start with %s, which, unlike %H:%M or %S, no time zone shifts and
    // nothing wraps at 60 s.
    b += "\n    dateFormat x\n    axisFormat ";
    b += span < 10'000'000'000 ? "%s.%L" : "%s";
    b += "\n    todayMarker off\n";

    for (ProcessIndex root : tree_.roots()) {
      section(root, "");
      bars_of(root);
      // Pre-order over the subtree, one section per parent holding its
      // children; iterative, as chains of subshells can be deep.
      std::vector<ProcessIndex> stack{root};
      while (!stack.empty()) {
        ProcessIndex p = stack.back();
        stack.pop_back();
        const auto& children = tree_[p].children;
        if (children.empty()) continue;
        section(p, kChildrenOf);
        for (ProcessIndex c : children) bars_of(c);
        for (auto it = children.rbegin(); it != children.rend(); ++it) stack.push_back(*it);
      }
    }
    out_.flush();
  }

 private:
  static constexpr std::string_view kChildrenOf = "children of ";

  std::string section_title(ProcessIndex i, std::string_view prefix) const {
    const Process& p = tree_[i];
    std::string text(prefix);
    text += "pid ";
    text += std::to_string(p.pid);
    if (const auto* argv = p.command()) {
      text += ' ';
      text += short_command(*argv, {40, 28});
    }
    return text;
  }

  std::size_t longest_section_title() const {
    std::size_t longest = 0;
    for (const Process& p : tree_.processes()) {
      if (!p.children.empty()) longest = std::max(longest, count_chars(section_title(p.index, kChildrenOf)));
      else if (p.parent == kNoProcess) longest = std::max(longest, count_chars(section_title(p.index, "")));
    }
    return longest;
  }

  void section(ProcessIndex i, std::string_view prefix) {
    auto& b = out_.buffer();
    b += "    section ";
    append_mermaid_label(b, section_title(i, prefix));
    b += '\n';
  }

  void bars_of(ProcessIndex i) {
    const Process& p = tree_[i];
    for_each_bar(p, end_, [&](const Bar& bar) {
      auto& b = out_.buffer();
      std::string label;
      if (bar.segment && !bar.segment->argv.empty()) label = short_command(bar.segment->argv);
      else label = "pid " + std::to_string(p.pid);
      const char* tag = nullptr;
      if (bar.no_exec) {
        label += " [no exec]";
        tag = "done";
      }
      if (bar.last) {
        ProcessOutcome o = outcome(p, stats_);
        if (o == ProcessOutcome::Running || o == ProcessOutcome::Lost) {
          label += " [" + outcome_text(p, stats_) + "]";
          tag = "active";
        } else if (o == ProcessOutcome::Failed || o == ProcessOutcome::Signaled) {
          label += " [" + outcome_text(p, stats_) + "]";
          tag = "crit";
        }  // an exit without status (original proctrace files): the bar's end says it all
      }
      b += "    ";
      append_mermaid_label(b, label);
      b += " :";
      if (tag) {
        b += tag;
        b += ", ";
      }
      // Mermaid dates have millisecond resolution; a bar keeps at least 1 ms
      // so that short processes stay visible.
      std::int64_t start = ms(bar.start);
      std::int64_t end = std::max(ms(bar.end), start + 1);
      b += std::to_string(start);
      b += ", ";
      b += std::to_string(end);
      b += '\n';
      out_.maybe_flush();
    });
  }

  std::int64_t ms(Nanos t) const {
    return t <= t0_ ? 0 : static_cast<std::int64_t>((t - t0_ + 500'000) / 1'000'000);
  }

  const Trace& trace_;
  const ProcessTree& tree_;
  OutputFile& out_;
  const Stats* stats_;
  Nanos t0_ = 0;
  Nanos end_ = 0;
};

}  // namespace

void render_mermaid(const Trace& trace, OutputFile& out, const RenderOptions&) { MermaidWriter(trace, out).write(); }

}  // namespace proctrace
