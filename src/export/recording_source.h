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
#include "export/lifecycle.h"
#include "io/diagnostics.h"
#include "model/recording_info.h"

namespace proctrace {

class SyscallTable;

struct RecordingHeader {
  std::vector<std::string> paths;
  ContentHash hash;
  const Meta* meta = nullptr;  // defaults when the file has no Meta line
  bool has_meta = false;
  bool from_strace = false;
};

struct RecordingSummary {
  const Stats* stats = nullptr;  // defaults when the file has no Stats line
  bool has_stats = false;
  std::uint64_t events = 0;
  std::uint64_t processes = 0;
  std::uint64_t segments = 0;
  Nanos first_timestamp = 0;
  Nanos last_timestamp = 0;
  // strace imports. SyscallRecord::process equals the Process::serial the
  // sink saw for that process.
  const SyscallTable* syscalls = nullptr;
};

class RecordingExport : public LifecycleSink {
 public:
  // Asked before anything is read: false skips the recording (already exported).
  virtual bool wants(const ContentHash&) { return true; }
  // Before the first event; the header's pointers live until end().
  virtual void begin(const RecordingHeader& header) = 0;
  virtual void end(const RecordingSummary& summary) = 0;
};

enum class ExportOutcome { Exported, Skipped };

// Throws InputError when nothing can be read. Bad lines go to diag.
ExportOutcome export_recording(const std::vector<std::string>& paths, RecordingExport& out, Diagnostics& diag);

// True when every event line's timestamp is >= the one before (a cheap scan
// for the "timestamp": key; no full parse).
bool timestamps_in_order(std::string_view recording);

// Command-line INPUTs: one recording per argument; the files of one strace
// -ff log are given as one argument joined with commas.
std::vector<std::string> split_input(const std::string& input);

}  // namespace proctrace
