// proctrace: record process lifecycles and turn them into views.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <spdlog/pattern_formatter.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "io/diagnostics.h"
#include "io/terminal_text.h"
#include "tools/commands.h"
#include "tools/legacy_command_line.h"

namespace {

// Every message reaches stderr through here: input text quoted in it (paths,
// bad lines, argv, server replies) is shown escaped, never obeyed by the
// terminal (io/terminal_text.h).
class TerminalSafeFormatter : public spdlog::formatter {
 public:
  explicit TerminalSafeFormatter(std::string pattern)
      : pattern_(pattern), inner_(std::make_unique<spdlog::pattern_formatter>(std::move(pattern))) {}
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    std::string safe = proctrace::terminal_safe(std::string_view(msg.payload.data(), msg.payload.size()));
    spdlog::details::log_msg copy = msg;
    copy.payload = spdlog::string_view_t(safe.data(), safe.size());
    inner_->format(copy, dest);
    msg.color_range_start = copy.color_range_start;  // the sink colours the level name
    msg.color_range_end = copy.color_range_end;
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<TerminalSafeFormatter>(pattern_); }

 private:
  std::string pattern_;
  std::unique_ptr<spdlog::pattern_formatter> inner_;
};

}  // namespace

int main(int argc, char** argv) {
  // Diagnostics go to stderr; stdout carries the output ("-o -").
  auto logger = spdlog::stderr_color_mt("proctrace");
  logger->set_formatter(std::make_unique<TerminalSafeFormatter>("proctrace: %^%l%$: %v"));
  spdlog::set_default_logger(logger);
  if (const char* level = std::getenv("PROCTRACE_LOG")) spdlog::set_level(spdlog::level::from_str(level));

  CLI::App app{"proctrace: record and analyze process lifecycles"};
  app.set_version_flag("-V,--version", std::string("proctrace ") + PROCTRACE_VERSION);
  app.require_subcommand(1);
  proctrace::cli::ExitCodeSlot exit;
  proctrace::cli::add_record_command(app, exit);
  proctrace::cli::add_sort_command(app, exit);
  proctrace::cli::add_render_command(app, exit);
  proctrace::cli::add_analyze_commands(app, exit);
  proctrace::cli::add_build_commands(app, exit);
  proctrace::cli::add_export_command(app, exit);
  proctrace::cli::add_why_command(app, exit);
  std::vector<std::string> commands;
  for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) commands.push_back(sub->get_name());
  const std::vector<std::string> pid_commands{"summary", "list-pids", "exec",     "files",
                                              "directories", "io",    "quantize", "tree"};
  auto rewrite = proctrace::cli::rewrite_legacy_command_line(
      std::vector<std::string>(argv + 1, argv + argc), commands, pid_commands, [](const std::string& word) {
        std::error_code ec;
        return std::filesystem::exists(word, ec);
      });
  if (!rewrite.error.empty()) {
    spdlog::error("{}", rewrite.error);
    return proctrace::kExitUsage;
  }
  std::reverse(rewrite.args.begin(), rewrite.args.end());  // CLI11 takes them last first
  app.name("proctrace");
  try {
    app.parse(rewrite.args);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    // The message quotes the command line: through the logger, escaped.
    spdlog::error("{}", e.what());
    spdlog::error("run with --help for more information");
    return proctrace::kExitUsage;
  }
  return exit.code;
}
