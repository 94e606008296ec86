// Feeds one recording (or the per-pid files of one strace -ff log) to an
// export: fingerprints the bytes, then streams the events through the
// lifecycle walker. A recording already in time order (what the recorders
// write) is streamed straight from the file; anything else is loaded and
// sorted first.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "export/content_hash.h"
#include "load/trace_stream.h"
#include "model/lifecycle_walker.h"
#include "io/diagnostics.h"
#include "model/recording_info.h"

namespace proctrace {

class SyscallTable;

// What an export knows of a recording before its first event: the stream's
// header plus the recording's identity.
struct RecordingHeader : TraceHeader {
  std::vector<std::string> paths;
  ContentHash hash;
};

using RecordingSummary = TraceSummary;

class RecordingExport : public LifecycleSink {
 public:
  // Asked before anything is read: false skips the recording (already exported).
  virtual bool wants(const ContentHash&) { return true; }
  // Before the first event; the header's pointers live until end().
  virtual void begin(const RecordingHeader& header) = 0;
  virtual void end(const RecordingSummary& summary) = 0;
};

enum class ExportOutcome { Exported, Skipped };

// Throws InputError when nothing can be read. Bad lines go to diag. options:
// how strace logs are read (--attach-pid, --date).
ExportOutcome export_recording(const std::vector<std::string>& paths, RecordingExport& out, Diagnostics& diag,
                               const LoadOptions& options = {});

// Command-line INPUTs: one recording per argument; the files of one strace
// -ff log are given as one argument joined with commas, or as their prefix.
std::vector<std::string> split_input(const std::string& input);

}  // namespace proctrace
