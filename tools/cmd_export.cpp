#include "tools/commands.h"

namespace proctrace::cli {

// Exports to Perfetto, OpenTelemetry, SQLite and ClickHouse.
void add_export_command(CLI::App&, ExitCodeSlot&) {}

}  // namespace proctrace::cli
