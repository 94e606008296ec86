#include <spdlog/spdlog.h>

#include <algorithm>

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
    LoadOptions load;
  };
  auto args = std::make_shared<Args>();
  std::string formats;
  for (auto& [name, info] : renderers()) formats += "\n  " + name + ": " + info.description;
  cmd->add_option("-d,--display", args->format, "output format:" + formats);
  cmd->add_option("-i,--input,input", args->inputs, "recording or strace log(s), plain or .zst/.gz (told by content); - for stdin");
  cmd->add_option("-o,--output", args->output, "output file (zstd/gzip-compressed when named *.zst/*.gz); - for stdout");
  auto* truncate = cmd->add_option("--truncate", args->options.truncate, "tree, mermaid: cut commands to N characters");
  auto* critical = 
  cmd->add_flag("--critical-path", args->options.critical_path,
                "mermaid: tag the critical path's bars crit (red) instead of the failed ones");
  auto* url = cmd->add_flag("--url", args->url,
                "mermaid: print a https://mermaid.live link that opens the chart in the live editor "
                "(the chart travels in the link; no network is used here)");
  add_load_options(*cmd, args->load);
  cmd->callback([args, &exit, truncate, critical, url] {
    auto it = renderers().find(args->format);
    if (it == renderers().end()) {
      std::string known;
      for (auto& [name, _] : renderers()) known += (known.empty() ? "" : ", ") + name;
      spdlog::error("unknown format '{}' (known: {})", args->format, known);
      exit.code = kExitUsage;
      return;
    }
    // An option the chosen view does not use is an error, not silently
    // ignored: the user asked for something they would not get.
    const std::vector<std::pair<const CLI::Option*, std::vector<std::string>>> used_by = {
        {truncate, {"tree", "mermaid"}}, {critical, {"mermaid"}}, {url, {"mermaid"}}};
    for (auto& [option, formats] : used_by) {
      if (option->count() == 0 || std::find(formats.begin(), formats.end(), args->format) != formats.end()) continue;
      std::string list;
      for (auto& f : formats) list += (list.empty() ? "-d " : " or -d ") + f;
      spdlog::error("{} works with {} only", option->get_name(), list);
      exit.code = kExitUsage;
      return;
    }
    if (args->url) {
      try {
        auto view = mermaid_url_view(args->output, args->options);
        exit.code = run_on_stream(args->inputs, args->load, *view);
      } catch (const WriteError& e) {
        spdlog::error("{}", e.what());
        exit.code = kExitFailure;
      }
      return;
    }
    if (args->format == "tree") args->options.line_width = terminal_width(args->output);
    if (it->second.stream) {
      auto view = it->second.stream(args->output, args->options);
      exit.code = run_on_stream(args->inputs, args->load, *view);
      return;
    }
    // tree and html mark why's culprits; on an strace log that ends with work
    // alive they come from the log's end state, replayed at load.
    args->load.log_end_snapshot = true;
    // The report's "inherited fds": an strace -yy log's, replayed at load.
    args->load.exec_fds = args->format == "html";
    args->load.events = it->second.events;
    exit.code = run_on_trace(args->inputs, args->load, [&](const Trace& trace) {
      OutputFile out(args->output);
      it->second.render(trace, out, args->options);
      out.commit();
    });
  });
}

}  // namespace proctrace::cli
