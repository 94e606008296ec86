// `render -d tree`: the process tree, pstree-style, one process per line:
//   PID [STATUS] COMMAND {THREADS}
// A process that exec'd several times shows its chain ("env … → make -j2");
// one that never exec'd is marked "(no exec)" and shows what it inherited;
// one already running when the recording began (strace -p) says so first.
// Wall durations are left out on purpose, so trees of two runs diff
// cleanly; what a process used (cpu, peak memory) follows where recorded.
// When the recording ends with a snapshot (or an strace log with processes
// still alive), the processes `proctrace why` blames carry their role
// after a "◀": the holder of the job's pipe, what each survivor waits on.
#include "analyze/why.h"
#include "io/terminal_text.h"
#include "render/command_text.h"
#include "render/renderer.h"
#include "model/thread_grouping.h"

namespace proctrace {

namespace {

constexpr std::size_t kMaxDrawnDepth = 64;

std::string describe(const Process& p, const Stats* stats, std::size_t truncate, bool thread_braces,
                     const InferredThreadGroups& grouped) {
  std::string text = std::to_string(p.pid) + " [" + outcome_text(p, stats) + "] ";
  std::string command = p.attached ? "(" + std::string(Process::kAttachedLabel) + ")" : std::string();
  if (p.attached && !p.execed()) {
    // What it ran before the recording is unknown; record --attach read
    // its argv from /proc.
    if (const auto* argv = p.command(); argv && !argv->empty()) command += " " + quote_argv(*argv);
  } else if (!p.execed()) {
    command = "(no exec)";
    if (const auto* argv = p.command()) command += " " + quote_argv(*argv);
  } else {
    for (auto& s : p.segments) {
      if (s.inherited) continue;
      if (!command.empty()) command += " → ";
      command += s.argv.empty() ? "(unknown command)" : quote_argv(s.argv);
    }
  }
  if (p.failed_execs) command += " (" + std::to_string(p.failed_execs) + " failed exec)";
  text += truncate ? truncate_text(command, truncate) : command;
  if (std::string change = group_change_text(p); !change.empty()) text += " [" + change + "]";
  if (std::string used = usage_text(p); !used.empty()) text += " [" + used + "]";
  text += grouped.label(p);
  if (thread_braces && !p.threads.empty()) {
    text += " {";
    for (std::size_t i = 0; i < p.threads.size(); ++i) {
      if (i) text += ',';
      text += std::to_string(p.threads[i]);
    }
    text += '}';
  }
  return text;
}

}  // namespace

void render_tree(const Trace& trace, OutputFile& out, const RenderOptions& options) {
  const ProcessTree& tree = trace.tree;
  const Stats* stats = trace.has_stats ? &trace.stats : nullptr;
  InferredThreadGroups grouped(trace.meta);
  struct Frame {
    ProcessIndex process;
    std::size_t depth;
    bool last;       // last child of its parent
    Pid thread = 0;  // a thread line of `process` (thread_lines)
  };
  const std::vector<bool>& include = options.include;
  auto drawn = [&](ProcessIndex p) { return include.empty() || (p < include.size() && include[p]); };
  std::vector<std::string> roles;  // by process; empty without culprits
  for (auto& c : snapshot_culprits(trace)) {
    if (roles.empty()) roles.resize(tree.size());
    roles[c.process] = terminal_safe(c.role);
  }
  // What is drawn below a process: its threads (thread_lines), then its
  // drawn children, taken one at a time. A level is a position in that
  // list rather than the list itself: a make with 300k children would
  // otherwise hold a frame for each of them while the first is drawn.
  struct Level {
    ProcessIndex process;
    std::size_t depth;       // of the lines below it
    std::size_t thread = 0;  // next thread line (thread_lines)
    std::size_t child = 0;   // next child, skipping undrawn ones
  };
  auto skip_undrawn = [&](Level& l) {
    const auto& children = tree[l.process].children;
    while (l.child < children.size() && !drawn(children[l.child])) ++l.child;
  };
  auto has_next = [&](const Level& l) {
    const Process& p = tree[l.process];
    return (options.thread_lines && l.thread < p.threads.size()) || l.child < p.children.size();
  };
  // Iterative pre-order; prefix[d] is what column d shows below an open branch.
  std::vector<std::string> prefix;
  std::vector<Level> levels;
  auto draw = [&](const Frame& f) {
    auto& b = out.buffer();
    const std::size_t line_start = b.size();
    prefix.resize(f.depth);
    // Drawing every column of a 100k-deep fork chain on every line is 10 GB
    // of output; past kMaxDrawnDepth the outer columns collapse into "[depth N]".
    std::size_t first = 1;
    if (f.depth > kMaxDrawnDepth) {
      first = f.depth - kMaxDrawnDepth + 1;
      b += "[depth " + std::to_string(f.depth) + "] ";
    }
    for (std::size_t d = first; d < f.depth; ++d) b += prefix[d];
    if (f.depth > 0) {
      b += f.last ? "└─" : "├─";
      prefix.push_back(f.last ? "  " : "│ ");
    } else {
      prefix.push_back("");
    }
    const Process& p = tree[f.process];
    if (f.thread) {
      b += "{thread " + std::to_string(f.thread) + "}\n";
      return;
    }
    b += describe(p, stats, options.truncate, !options.thread_lines, grouped);
    if (!roles.empty() && !roles[f.process].empty()) b += " ◀ " + roles[f.process];
    if (options.line_width) {
      std::string_view line(b.data() + line_start, b.size() - line_start);
      if (count_chars(line) > options.line_width) {
        std::string cut = truncate_text(line, options.line_width);
        b.resize(line_start);
        b += cut;
      }
    }
    b += '\n';
    out.maybe_flush();
    Level below{f.process, f.depth + 1};
    skip_undrawn(below);
    if (has_next(below)) levels.push_back(below);
  };
  auto draw_subtree = [&](ProcessIndex root) {
    draw({root, 0, true});
    while (!levels.empty()) {
      Level& l = levels.back();
      const Process& p = tree[l.process];
      Frame f{l.process, l.depth, false};
      if (options.thread_lines && l.thread < p.threads.size()) {
        f.thread = p.threads[l.thread++];
      } else {
        f.process = p.children[l.child++];
        skip_undrawn(l);
      }
      f.last = !has_next(l);
      if (f.last) levels.pop_back();  // before draw() may push below it
      draw(f);
    }
  };
  if (include.empty()) {
    for (ProcessIndex r : tree.roots()) draw_subtree(r);
  } else {
    for (const Process& p : tree.processes())
      if (drawn(p.index) && (p.parent == kNoProcess || !drawn(p.parent))) draw_subtree(p.index);
  }
  out.flush();
}

}  // namespace proctrace
