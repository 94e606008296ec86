// `record` in a build without the recorder (PROCTRACE_RECORDER=OFF, e.g. on
// macOS): every argument is accepted so that any record command line, even
// one written for the Linux build, gets the same clear answer and exit 2.
#include <spdlog/spdlog.h>

#include "io/diagnostics.h"
#include "tools/commands.h"

namespace proctrace::cli {

void add_record_command(CLI::App& app, ExitCodeSlot& exit) {
  auto* cmd = app.add_subcommand("record", "Not in this build (PROCTRACE_RECORDER=OFF): record on Linux, analyze here");
  cmd->allow_extras();
  cmd->prefix_command();
  cmd->callback([&exit] {
    spdlog::error(
        "this proctrace was built without the recorder (PROCTRACE_RECORDER=OFF); record on Linux with the "
        "default build, then analyze the file here");
    exit.code = kExitUsage;
  });
}

}  // namespace proctrace::cli
