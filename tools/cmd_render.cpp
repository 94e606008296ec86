#include <spdlog/spdlog.h>

#include "io/output_file.h"
#include "render/renderer.h"
#include "tools/commands.h"
#include "tools/input_options.h"

namespace proctrace::cli {

void add_render_command(CLI::App& app, ExitCodeSlot& exit) {
  auto* cmd = app.add_subcommand("render", "Turn a recording or strace log into a view");
  struct Args {
    std::string format = "multiplexed";
    std::vector<std::string> inputs;
    std::string output = "-";
    bool url = false;
    RenderOptions options;
  };
  auto args = std::make_shared<Args>();
  std::string formats;
  for (auto& [name, info] : renderers()) formats += "\n  " + name + ": " + info.description;
  cmd->add_option("-d,--display", args->format, "output format:" + formats);
  cmd->add_option("-i,--input,input", args->inputs, "recording or strace log(s); - for stdin");
  cmd->add_option("-o,--output", args->output, "output file; - for stdout");
  cmd->add_option("--truncate", args->options.truncate, "tree: cut commands to N characters");
  cmd->add_flag("--critical-path", args->options.critical_path,
                "mermaid: tag the critical path's bars crit (red) instead of the failed ones");
  cmd->add_flag("--url", args->url,
                "mermaid: print a https://mermaid.live link that opens the chart in the live editor "
                "(the chart travels in the link; no network is used here)");
  cmd->callback([args, &exit] {
    auto it = renderers().find(args->format);
    if (it == renderers().end()) {
      std::string known;
      for (auto& [name, _] : renderers()) known += (known.empty() ? "" : ", ") + name;
      spdlog::error("unknown format '{}' (known: {})", args->format, known);
      exit.code = kExitUsage;
      return;
    }
    if (args->url) {
      if (args->format != "mermaid") {
        spdlog::error("--url works with -d mermaid only");
        exit.code = kExitUsage;
        return;
      }
      try {
        auto view = mermaid_url_view(args->output, args->options);
        exit.code = run_on_stream(args->inputs, {}, *view);
      } catch (const WriteError& e) {
        spdlog::error("{}", e.what());
        exit.code = kExitFailure;
      }
      return;
    }
    if (it->second.stream) {
      auto view = it->second.stream(args->output, args->options);
      exit.code = run_on_stream(args->inputs, {}, *view);
      return;
    }
    exit.code = run_on_trace(args->inputs, {}, [&](const Trace& trace) {
      OutputFile out(args->output);
      it->second.render(trace, out, args->options);
      out.commit();
    });
  });
}

}  // namespace proctrace::cli
