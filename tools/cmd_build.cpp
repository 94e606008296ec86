// The build analyses: critical-path, stats and diff. Each reads its
// recording(s) as a stream into the compact form of analyze/build_runs.h.
#include <array>

#include "analyze/build_views.h"
#include "analyze/group_stats.h"
#include "io/output_file.h"
#include "tools/commands.h"
#include "tools/input_options.h"

namespace proctrace::cli {

namespace {

struct BuildArgs {
  std::vector<std::string> inputs;
  std::string output = "-";
  BuildViewOptions options;
};

CLI::App* add_build_view(CLI::App& app, const char* name, const char* description, std::shared_ptr<BuildArgs> args) {
  auto* cmd = app.add_subcommand(name, description);
  cmd->add_option("-o,--output", args->output, "output file (zstd/gzip-compressed when named *.zst/*.gz); - for stdout");
  cmd->add_flag("--json", args->options.json, "one JSON document instead of text");
  return cmd;
}

std::vector<std::string> or_stdin(const std::vector<std::string>& inputs) {
  return inputs.empty() ? std::vector<std::string>{"-"} : inputs;
}

}  // namespace

void add_build_commands(CLI::App& app, ExitCodeSlot& exit) {
  {
    auto args = std::make_shared<BuildArgs>();
    auto* cmd = add_build_view(app, "critical-path",
                               "The chain of processes that set the end time: each step's own time and gaps", args);
    cmd->add_option("-i,--input,input", args->inputs, "recording or strace log(s), plain or .zst/.gz (told by content); - for stdin");
    cmd->callback([args, &exit] {
      exit.code = run_guarded([&](Diagnostics& diag) {
        BuildRecording rec = read_build_recording(or_stdin(args->inputs), diag);
        OutputFile out(args->output);
        view_critical_path(rec, args->options, out);
        out.commit();
      });
    });
  }
  {
    auto args = std::make_shared<BuildArgs>();
    auto* cmd = add_build_view(app, "stats",
                               "Wall time, parallelism and per-group totals: runs, time, failures (--by program...)",
                               args);
    cmd->add_option("-i,--input,input", args->inputs, "recording or strace log(s), plain or .zst/.gz (told by content); - for stdin");
    cmd->add_option("--by", args->options.by, "group runs by program, command, cwd or parent")
        ->check(CLI::IsMember(group_key_names()))
        ->capture_default_str();
    cmd->add_option("-c,--count", args->options.count, "groups to show (0: all)")->capture_default_str();
    cmd->callback([args, &exit] {
      exit.code = run_guarded([&](Diagnostics& diag) {
        BuildRecording rec = read_build_recording(or_stdin(args->inputs), diag);
        OutputFile out(args->output);
        view_build_stats(rec, args->options, out);
        out.commit();
      });
    });
  }
  {
    auto args = std::make_shared<BuildArgs>();
    auto paths = std::make_shared<std::array<std::string, 2>>();
    auto* cmd = add_build_view(app, "diff",
                               "Compare two recordings of the same job: total change, slower/faster/new/gone runs",
                               args);
    cmd->add_option("before", (*paths)[0], "the first recording (or strace log)")->required();
    cmd->add_option("after", (*paths)[1], "the second")->required();
    cmd->add_option("--threshold", args->options.threshold, "hide changes smaller than this many seconds")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("-c,--count", args->options.count, "changes to show (0: all)")->capture_default_str();
    cmd->callback([args, paths, &exit] {
      exit.code = run_guarded([&](Diagnostics& diag) {
        auto [before, after] = read_build_recordings(*paths, diag);
        OutputFile out(args->output);
        view_run_diff(before, after, args->options, out);
        out.commit();
      });
    });
  }
}

}  // namespace proctrace::cli
