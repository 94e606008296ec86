// The analysis views as top-level subcommands: summary, list-pids, pid, exec,
// files, directories, io, quantize. They share INPUT, -o, --json and the
// process selection (-p/-r/-t); each adds its own options.
#include <spdlog/spdlog.h>

#include <charconv>
#include <filesystem>

#include "analyze/analyze_views.h"
#include "analyze/call_stats.h"
#include "analyze/record_filter.h"
#include "io/output_file.h"
#include "tools/commands.h"
#include "tools/input_options.h"

namespace proctrace::cli {

namespace {

using ViewFn = void (*)(const Trace&, const AnalyzeOptions&, OutputFile&);

struct ViewArgs {
  std::vector<std::string> inputs;
  std::string output = "-";
  AnalyzeOptions options;
  LoadOptions load;
};

struct ViewSpec {
  const char* name;
  const char* description;
  ViewFn fn;
  bool needs_syscalls;  // load the syscall table (strace logs)
};

std::optional<Pid> parse_pid(const std::string& s) {
  Pid v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

CLI::App* add_view(CLI::App& app, ExitCodeSlot& exit, const ViewSpec& spec, std::shared_ptr<ViewArgs> args,
                   bool inputs_positional = true) {
  auto* cmd = app.add_subcommand(spec.name, spec.description);
  if (inputs_positional) cmd->add_option("input", args->inputs, "strace log(s) or recording, plain or .zst/.gz (told by content); - for stdin");
  cmd->add_option("-i,--input", args->inputs, "strace log(s) or recording, plain or .zst/.gz (told by content); - for stdin");
  cmd->add_option("-o,--output", args->output, "output file (zstd/gzip-compressed when named *.zst/*.gz); - for stdout");
  cmd->add_flag("--json", args->options.json, "one JSON document instead of text");
  cmd->add_option("-p,--pid", args->options.select.pids,
                  "only these processes or threads (comma-separated or repeated)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->check(CLI::PositiveNumber);
  cmd->add_flag("-r,--related", args->options.select.related, "add the parent and children of each -p process");
  cmd->add_flag("-t,--threads", args->options.select.threads, "add the sibling threads of each -p thread");
  add_load_options(*cmd, args->load);
  ViewSpec s = spec;
  cmd->callback([args, s, &exit] {
    LoadOptions load = args->load;
    load.keep_syscalls = s.needs_syscalls;
    load.events = LoadOptions::Events::None;  // the analyses read the model and the syscalls
    exit.code = run_on_trace(args->inputs, load, [&](const Trace& trace) {
      OutputFile out(args->output);
      s.fn(trace, args->options, out);
      out.commit();
    });
  });
  return cmd;
}

// summary's and list-pids' -c/-s, with strace-parser's sort keys.
void add_process_order_options(CLI::App& cmd, ViewArgs& args, const std::string& default_order) {
  cmd.add_option("-c,--count", args.options.count, "processes to show (0: all)")->capture_default_str();
  cmd.add_option("-s,--sort", args.options.sort, "sort by (default: " + default_order + ")")
      ->check(CLI::IsMember(process_sort_keys()));
}

}  // namespace

void add_analyze_commands(CLI::App& app, ExitCodeSlot& exit) {
  {
    auto args = std::make_shared<ViewArgs>();
    auto* cmd = add_view(app, exit,
                         {"summary", "Top processes by time in syscalls (active/wait), with session totals",
                          view_summary, true},
                         args);
    add_process_order_options(*cmd, *args, "active_time");
  }
  {
    auto args = std::make_shared<ViewArgs>();
    args->options.count = 0;
    auto* cmd = add_view(
        app, exit,
        {"list-pids", "Per process: its exit, times, and count, total/max/avg/min ms and errors of each syscall",
         view_list_pids, true},
        args);
    add_process_order_options(*cmd, *args, "tree order");
  }
  {
    // `pid INPUT PID...`: numbers that are not files are pids.
    auto args = std::make_shared<ViewArgs>();
    auto words = std::make_shared<std::vector<std::string>>();
    auto* cmd = add_view(app, exit,
                         {"pid", "Details of processes: times, programs, exit, family, syscalls, slowest opens",
                          view_pid, true},
                         args, false);
    cmd->add_option("args", *words, "INPUT... PID...: strace log(s) or recording, then process ids")->required();
    cmd->preparse_callback([words](std::size_t) { words->clear(); });
    cmd->parse_complete_callback([args, words] {
      for (auto& w : *words) {
        auto pid = parse_pid(w);
        if (pid && !std::filesystem::exists(w)) args->options.select.pids.push_back(*pid);
        else args->inputs.push_back(w);
      }
      if (args->options.select.pids.empty()) throw CLI::ValidationError("pid", "give at least one process id");
    });
  }
  {
    auto args = std::make_shared<ViewArgs>();
    auto* cmd = add_view(
        app, exit,
        {"tree", "The process tree (as render -d tree); -p: their subtrees, -r: with ancestors, -t: thread lines",
         view_tree, false},
        args);
    cmd->add_option("--truncate", args->options.truncate, "cut commands to N characters");
    // On a terminal, lines are cut to its width as pstree cuts them.
    cmd->parse_complete_callback([args] { args->options.line_width = terminal_width(args->output); });
  }
  add_view(app, exit, {"exec", "Every program executed: time, pid, exit, full command line", view_exec, false},
           std::make_shared<ViewArgs>());
  {
    auto args = std::make_shared<ViewArgs>();
    auto* cmd = add_view(app, exit,
                         {"files", "Every open/openat/openat2/creat: time, duration, result, path", view_files, true},
                         args);
    cmd->add_option("-s,--sort", args->options.sort, "sort by (default time)")->check(CLI::IsMember(call_sort_keys()));
  }
  add_view(app, exit,
           {"directories", "Time spent opening files per directory and all its ancestors", view_directories, true},
           std::make_shared<ViewArgs>());
  {
    auto args = std::make_shared<ViewArgs>();
    auto* cmd = add_view(app, exit,
                         {"io", "read/write/send/recv calls: duration, bytes, errno, file; totals per file", view_io,
                          true},
                         args);
    cmd->add_flag("--totals", args->options.totals_only, "only the totals per file");
    cmd->add_option("-s,--sort", args->options.sort, "sort the calls by (default time)")
        ->check(CLI::IsMember(call_sort_keys()));
  }
  {
    auto args = std::make_shared<ViewArgs>();
    auto* view = add_view(app, exit, {"quantize", "Histogram (log2 buckets, µs) of a syscall's durations",
                                      view_quantize, true},
                          args, false);
    auto names = std::make_shared<std::string>();
    view->add_option("syscall", *names, "syscall name(s), comma-separated")->required();
    view->parse_complete_callback([args, names] {
      args->options.syscalls.clear();
      std::string_view rest = *names;
      while (!rest.empty()) {
        std::size_t comma = rest.find(',');
        std::string_view name = rest.substr(0, comma);
        if (!name.empty()) args->options.syscalls.emplace_back(name);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      }
      if (args->options.syscalls.empty()) throw CLI::ValidationError("syscall", "name a syscall, e.g. read");
    });
    view->add_option("input", args->inputs, "strace log(s); - for stdin");
  }
}

}  // namespace proctrace::cli
