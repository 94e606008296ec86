// `proctrace why [RECORDING]`: why the recorded job failed or hung.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "analyze/why.h"
#include "io/diagnostics.h"
#include "io/output_file.h"
#include "tools/commands.h"
#include "tools/input_options.h"

namespace proctrace::cli {

void add_why_command(CLI::App& app, ExitCodeSlot& exit) {
  struct Args {
    std::vector<std::string> inputs;
    std::string output = "-";
    bool json = false;
    LoadOptions load;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "why", "Why the job failed or hung: survivors, who holds its stdout/stderr, what each stuck process waits on");
  cmd->add_option("-i,--input,input", args->inputs, "recording (or strace log), plain or .zst/.gz (told by content); - or none for stdin");
  cmd->add_option("-o,--output", args->output, "output file (zstd/gzip-compressed when named *.zst/*.gz); - for stdout");
  cmd->add_flag("--json", args->json, "one JSON document instead of text");
  add_load_options(*cmd, args->load);
  cmd->callback([args, &exit] {
    if (args->inputs.empty()) {
      if (::isatty(STDIN_FILENO)) {
        spdlog::error("why: give a recording (proctrace record -o FILE ...), or pipe one in");
        exit.code = kExitUsage;
        return;
      }
      args->inputs.push_back("-");
    }
    args->load.log_end_snapshot = true;  // strace logs: explain what was alive at their end
    args->load.events = LoadOptions::Events::None;  // why reads the model and the snapshots
    exit.code = run_on_trace(args->inputs, args->load, [&](const Trace& trace) {
      OutputFile out(args->output);
      view_why(trace, args->json, out);
      out.flush();
    });
  });
}

}  // namespace proctrace::cli
