#include <spdlog/spdlog.h>

#include "io/diagnostics.h"
#include "tools/commands.h"

namespace proctrace::cli {

void add_record_command(CLI::App& app, ExitCodeSlot& exit) {
  auto* cmd = app.add_subcommand("record", "Run a command and record its process subtree");
  cmd->callback([&exit] {
    spdlog::error("record is not implemented yet");
    exit.code = kExitFailure;
  });
}

}  // namespace proctrace::cli
