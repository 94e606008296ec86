// Each subcommand registers itself on the CLI11 app; its callback stores the
// process exit code in ExitCodeSlot.
#pragma once

#include <CLI/CLI.hpp>

namespace proctrace::cli {

struct ExitCodeSlot {
  int code = 0;
};

void add_record_command(CLI::App& app, ExitCodeSlot& exit);
void add_sort_command(CLI::App& app, ExitCodeSlot& exit);
void add_render_command(CLI::App& app, ExitCodeSlot& exit);
void add_analyze_commands(CLI::App& app, ExitCodeSlot& exit);
void add_build_commands(CLI::App& app, ExitCodeSlot& exit);
void add_export_command(CLI::App& app, ExitCodeSlot& exit);
void add_why_command(CLI::App& app, ExitCodeSlot& exit);

}  // namespace proctrace::cli
