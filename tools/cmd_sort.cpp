#include "io/output_file.h"
#include "render/renderer.h"
#include "tools/commands.h"
#include "tools/input_options.h"

namespace proctrace::cli {

void add_sort_command(CLI::App& app, ExitCodeSlot& exit) {
  auto* cmd = app.add_subcommand("sort", "Write a recording with its events ordered by time or by process");
  struct Args {
    std::string mode = "timestamp";
    std::vector<std::string> inputs;
    std::string output = "-";
    LoadOptions load;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("-m,--mode", args->mode, "timestamp (stable) or process (grouped, fork order)")
      ->check(CLI::IsMember({"timestamp", "process"}));
  cmd->add_option("-i,--input,input", args->inputs, "recording or strace log(s), plain or .zst/.gz (told by content); - for stdin");
  cmd->add_option("-o,--output", args->output, "output file (zstd/gzip-compressed when named *.zst/*.gz); - for stdout");
  add_load_options(*cmd, args->load);
  cmd->callback([args, &exit] {
    auto view = sorted_view(args->output, args->mode == "process" ? SortMode::Process : SortMode::Timestamp);
    exit.code = run_on_stream(args->inputs, args->load, *view);
  });
}

}  // namespace proctrace::cli
