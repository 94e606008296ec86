// The analysis views as top-level subcommands: summary, list-pids, pid, exec,
// files, directories, io, quantize. They share INPUT, -o, --json and the
// process selection (-p/-r/-t); each adds its own options.
#include <spdlog/spdlog.h>

#include <charconv>
#include <filesystem>

#include "analyze/analyze_views.h"
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
};

struct ViewSpec {
  const char* name;
  const char* description;
  ViewFn fn;
  bool needs_syscalls;  // load the syscall table (strace logs)
};

CLI::App* add_view(CLI::App& app, ExitCodeSlot& exit, const ViewSpec& spec, std::shared_ptr<ViewArgs> args,
                   bool inputs_positional = true) {
  auto* cmd = app.add_subcommand(spec.name, spec.description);
  if (inputs_positional) cmd->add_option("input", args->inputs, "strace log(s) or recording; - for stdin");
  cmd->add_option("-i,--input", args->inputs, "strace log(s) or recording; - for stdin");
  cmd->add_option("-o,--output", args->output, "output file; - for stdout");
  cmd->add_flag("--json", args->options.json, "one JSON document instead of text");
  cmd->add_option("-p,--pid", args->options.select.pids,
                  "only these processes or threads (comma-separated or repeated)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->check(CLI::PositiveNumber);
  cmd->add_flag("-r,--related", args->options.select.related, "add the parent and children of each -p process");
  cmd->add_flag("-t,--threads", args->options.select.threads, "add the sibling threads of each -p thread");
  ViewSpec s = spec;
  cmd->callback([args, s, &exit] {
    LoadOptions load;
    load.keep_syscalls = s.needs_syscalls;
    exit.code = run_on_trace(args->inputs, load, [&](const Trace& trace) {
      OutputFile out(args->output);
      s.fn(trace, args->options, out);
      out.flush();
    });
  });
  return cmd;
}

}  // namespace

void add_analyze_commands(CLI::App& app, ExitCodeSlot& exit) {
  add_view(app, exit, {"exec", "Every program executed: time, pid, exit, full command line", view_exec, false},
           std::make_shared<ViewArgs>());
}

}  // namespace proctrace::cli
