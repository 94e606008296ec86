#include "export/recording_source.h"

#include <filesystem>

#include "import/strace_import.h"
#include "io/input_file.h"
#include "load/trace_stream.h"

namespace proctrace {

namespace {

// Hands the stream to the export, with the recording's identity added.
class ExportStream : public TraceStreamSink {
 public:
  ExportStream(RecordingExport& out, RecordingHeader& header) : out_(out), header_(header) {}

  void begin(const TraceHeader& h) override {
    static_cast<TraceHeader&>(header_) = h;
    out_.begin(header_);
  }
  void end(const TraceSummary& summary) override { out_.end(summary); }
  void process_started(const Process& p, const Process* parent) override { out_.process_started(p, parent); }
  void segment_started(const Process& p, std::size_t n) override { out_.segment_started(p, n); }
  void segment_ended(const Process& p, std::size_t n) override { out_.segment_ended(p, n); }
  void event(const Event& e, std::string_view line, const Process& p) override { out_.event(e, line, p); }
  void process_ended(const Process& p) override { out_.process_ended(p); }

 private:
  RecordingExport& out_;
  RecordingHeader& header_;
};

}  // namespace

std::vector<std::string> split_input(const std::string& input) {
  std::error_code ec;
  if (input == "-" || std::filesystem::exists(input, ec)) return {input};
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= input.size()) {
    std::size_t comma = input.find(',', start);
    if (comma == std::string::npos) comma = input.size();
    if (comma > start) parts.push_back(input.substr(start, comma - start));
    start = comma + 1;
  }
  // An strace -ff prefix (`ff/trace` for ff/trace.PID...) names all its files.
  return expand_strace_ff_prefix(parts);
}

ExportOutcome export_recording(const std::vector<std::string>& paths, RecordingExport& out, Diagnostics& diag,
                               const LoadOptions& options) {
  if (paths.empty()) throw InputError("no input given");
  std::vector<std::unique_ptr<InputFile>> inputs;
  ContentHasher hasher;
  for (auto& p : paths) {
    inputs.push_back(std::make_unique<InputFile>(p));
    ReleaseBehind behind(inputs.back().get());
    hasher.add(inputs.back()->data(), &behind);
    behind.done();  // the reader starts over from the front
  }
  RecordingHeader header;
  header.paths = paths;
  header.hash = hasher.finish();
  if (!out.wants(header.hash)) return ExportOutcome::Skipped;

  ExportStream stream(out, header);
  LoadOptions load = options;
  load.keep_syscalls = true;  // strace imports: the syscalls table and thread tracks
  stream_trace(std::move(inputs), stream, diag, load);
  return ExportOutcome::Exported;
}

}  // namespace proctrace
