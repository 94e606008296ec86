// proctrace: record process lifecycles and turn them into views.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "io/diagnostics.h"
#include "tools/commands.h"

int main(int argc, char** argv) {
  // Diagnostics go to stderr; stdout carries the output ("-o -").
  auto logger = spdlog::stderr_color_mt("proctrace");
  logger->set_pattern("proctrace: %^%l%$: %v");
  spdlog::set_default_logger(logger);
  if (const char* level = std::getenv("PROCTRACE_LOG")) spdlog::set_level(spdlog::level::from_str(level));

  CLI::App app{"proctrace: record and analyze process lifecycles"};
  app.set_version_flag("--version", std::string("proctrace ") + PROCTRACE_VERSION);
  app.require_subcommand(1);
  proctrace::cli::ExitCodeSlot exit;
  proctrace::cli::add_record_command(app, exit);
  proctrace::cli::add_sort_command(app, exit);
  proctrace::cli::add_render_command(app, exit);
  proctrace::cli::add_analyze_commands(app, exit);
  proctrace::cli::add_export_command(app, exit);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : proctrace::kExitUsage;
  }
  return exit.code;
}
