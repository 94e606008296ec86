// The build analyses as views (`proctrace critical-path`, `stats`, `diff`):
// text that leads with the answer, or one JSON document with --json.
// Times are seconds from the recording's first event.
#pragma once

#include <cstddef>
#include <string>

#include "analyze/build_runs.h"
#include "io/output_file.h"

namespace proctrace {

struct BuildViewOptions {
  bool json = false;
  std::string by = "program";  // stats: program, command, cwd, parent
  std::size_t count = 20;      // stats, diff: rows to show (0: all)
  double threshold = 0.0;      // diff: hide changes smaller than this many seconds
};

void view_critical_path(const BuildRecording& rec, const BuildViewOptions& options, OutputFile& out);
void view_build_stats(const BuildRecording& rec, const BuildViewOptions& options, OutputFile& out);
void view_run_diff(const BuildRecording& before, const BuildRecording& after, const BuildViewOptions& options,
                   OutputFile& out);

// "12.345": seconds with millisecond precision, as the build views print times.
std::string seconds_text(Nanos ns);
// "+1.250" / "-0.300": a signed change in seconds.
std::string signed_seconds_text(std::int64_t ns);

}  // namespace proctrace
