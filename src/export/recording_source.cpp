#include "export/recording_source.h"

#include <cstring>
#include <filesystem>

#include "io/event_json.h"
#include "io/input_file.h"
#include "io/recording_reader.h"
#include "io/trace.h"

namespace proctrace {

namespace {

// Streams a time-ordered recording: the model is built while reading.
class StreamingReader : public RecordSink {
 public:
  StreamingReader(RecordingExport& out, RecordingHeader& header, LifecycleWalker& walker)
      : out_(out), header_(header), walker_(walker) {}

  void on_meta(const Meta& meta) override {
    meta_ = meta;
    header_.has_meta = true;
  }
  void on_event(const Event& e, std::string_view line) override {
    begin();
    walker_.add(e, line);
  }
  void on_stats(const Stats& stats) override {
    stats_ = stats;
    has_stats_ = true;
  }
  void begin() {
    if (begun_) return;
    begun_ = true;
    header_.meta = &meta_;
    out_.begin(header_);
  }

  Meta meta_;
  Stats stats_;
  bool has_stats_ = false;

 private:
  RecordingExport& out_;
  RecordingHeader& header_;
  LifecycleWalker& walker_;
  bool begun_ = false;
};

RecordingSummary summarize(const LifecycleWalker& walker, const Stats& stats, bool has_stats) {
  RecordingSummary s;
  s.stats = &stats;
  s.has_stats = has_stats;
  s.events = walker.events();
  s.processes = walker.tree().processes_seen();
  s.segments = walker.segments();
  s.first_timestamp = walker.tree().first_timestamp();
  s.last_timestamp = walker.tree().last_timestamp();
  return s;
}

}  // namespace

bool timestamps_in_order(std::string_view data) {
  static constexpr std::string_view key = "\"timestamp\":";
  std::uint64_t last = 0;
  std::size_t pos = 0;
  while (pos < data.size()) {
    const char* nl = static_cast<const char*>(std::memchr(data.data() + pos, '\n', data.size() - pos));
    std::size_t end = nl ? static_cast<std::size_t>(nl - data.data()) : data.size();
    std::string_view line = data.substr(pos, end - pos);
    pos = end + 1;
    // Inside a JSON string a quote is always escaped, so the first match is the key.
    std::size_t k = line.find(key);
    if (k == std::string_view::npos) continue;
    std::size_t i = k + key.size();
    while (i < line.size() && line[i] == ' ') ++i;
    std::uint64_t ts = 0;
    bool digits = false;
    for (; i < line.size() && line[i] >= '0' && line[i] <= '9'; ++i, digits = true) ts = ts * 10 + (line[i] - '0');
    if (!digits) continue;  // malformed: the reader reports it
    if (ts < last) return false;
    last = ts;
  }
  return true;
}

std::vector<std::string> split_input(const std::string& input) {
  std::error_code ec;
  if (input == "-" || input.find(',') == std::string::npos || std::filesystem::exists(input, ec)) return {input};
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= input.size()) {
    std::size_t comma = input.find(',', start);
    if (comma == std::string::npos) comma = input.size();
    if (comma > start) parts.push_back(input.substr(start, comma - start));
    start = comma + 1;
  }
  return parts;
}

ExportOutcome export_recording(const std::vector<std::string>& paths, RecordingExport& out, Diagnostics& diag) {
  if (paths.empty()) throw InputError("no input given");
  std::vector<std::unique_ptr<InputFile>> inputs;
  ContentHasher hasher;
  for (auto& p : paths) {
    inputs.push_back(std::make_unique<InputFile>(p));
    hasher.add(inputs.back()->data());
  }
  RecordingHeader header;
  header.paths = paths;
  header.hash = hasher.finish();
  if (!out.wants(header.hash)) return ExportOutcome::Skipped;

  const InputFile& first = *inputs.front();
  LifecycleWalker walker(out);
  if (inputs.size() == 1 && looks_like_recording(first.data()) && timestamps_in_order(first.data())) {
    StreamingReader reader(out, header, walker);
    ReadSummary read = read_recording(first.data(), first.name(), reader, diag);
    if (read.events == 0) throw InputError(first.name() + ": no valid events found");
    walker.finish(reader.has_stats_ ? reader.stats_.end_timestamp : 0);
    out.end(summarize(walker, reader.stats_, reader.has_stats_));
    return ExportOutcome::Exported;
  }

  // Out of order, or an strace log: the loader sorts (and imports) first.
  inputs.clear();
  LoadOptions load;
  load.keep_syscalls = true;  // strace imports: the syscalls table and thread tracks
  auto trace = load_trace(paths, diag, load);
  header.meta = &trace->meta;
  header.has_meta = trace->has_meta;
  header.from_strace = trace->from_strace;
  out.begin(header);
  // The walker adds the same events in the same order as the loader's tree,
  // so a process's serial equals its index there (SyscallRecord::process).
  ParsedLine parsed;
  for (const TraceEvent& te : trace->events) {
    parse_line(te.line, parsed);  // the loader parsed (or wrote) it already
    walker.add(parsed.event, te.line);
  }
  walker.finish(trace->has_stats ? trace->stats.end_timestamp : 0);
  RecordingSummary summary = summarize(walker, trace->stats, trace->has_stats);
  summary.syscalls = trace->syscalls.get();
  out.end(summary);
  return ExportOutcome::Exported;
}

}  // namespace proctrace
