#include "load/trace_stream.h"

#include <cstring>
#include <deque>
#include <string>

#include "io/event_json.h"
#include "io/recording_reader.h"
#include "io/text_util.h"

namespace proctrace {

namespace {

// Thrown by an InOrderReader that checks the order when an event goes back
// in time, or a Meta line follows events: the stream cannot go on as is.
struct OrderBroken {};

// Reads a time-ordered recording: the walker builds the model while reading.
class InOrderReader : public RecordSink {
 public:
  // check_order: throw OrderBroken rather than pass on an event out of order.
  InOrderReader(const InputFile& input, TraceStreamSink& sink, LifecycleWalker& walker, bool check_order)
      : input_(input), sink_(sink), walker_(walker), behind_(&input), check_order_(check_order) {}

  void on_meta(const Meta& meta) override {
    if (check_order_ && begun_) throw OrderBroken{};  // a view writes Meta first
    meta_ = meta;
    has_meta_ = true;
  }
  void on_event(const Event& e, std::string_view line) override {
    if (check_order_) {
      if (e.timestamp < last_timestamp_) throw OrderBroken{};
      last_timestamp_ = e.timestamp;
    }
    begin();
    if (line.empty()) {
      // Text that could not be passed on as is: the event written anew,
      // kept for as long as the sink may hold the line.
      std::string& text = synthesized_.emplace_back();
      append_event_json(text, e);
      line = text;
    } else {
      behind_.reached(line.data());
    }
    walker_.add(e, line);
  }
  void on_stats(const Stats& stats) override {
    stats_ = stats;
    has_stats_ = true;
  }
  void begin() {
    if (begun_) return;
    begun_ = true;
    sink_.begin({&meta_, has_meta_, false, &input_});
  }

  Meta meta_;
  bool has_meta_ = false;
  Stats stats_;
  bool has_stats_ = false;

 private:
  const InputFile& input_;
  TraceStreamSink& sink_;
  LifecycleWalker& walker_;
  bool begun_ = false;
  ReleaseBehind behind_;
  bool check_order_;
  Nanos last_timestamp_ = 0;
  std::deque<std::string> synthesized_;
};

TraceSummary summarize(const LifecycleWalker& walker, const Stats& stats, bool has_stats) {
  TraceSummary s;
  s.stats = &stats;
  s.has_stats = has_stats;
  s.events = walker.events();
  s.processes = walker.tree().processes_seen();
  s.segments = walker.segments();
  s.first_timestamp = walker.tree().first_timestamp();
  s.last_timestamp = walker.tree().last_timestamp();
  return s;
}



// Streams a recording read straight from its file into the sink; with
// check_order, throws OrderBroken at the first event out of order.
void stream_recording(const InputFile& input, TraceStreamSink& sink, Diagnostics& diag, bool check_order) {
  LifecycleWalker walker(sink);
  InOrderReader reader(input, sink, walker, check_order);
  ReadSummary read = read_recording(input.data(), input.name(), reader, diag);
  if (read.events == 0) throw InputError(input.name() + ": no valid events found");
  warn_if_incomplete(reader.meta_, reader.has_meta_, reader.stats_, reader.has_stats_, read, input.name(), diag);
  walker.finish(reader.has_stats_ ? reader.stats_.end_timestamp : 0);
  sink.end(summarize(walker, reader.stats_, reader.has_stats_));
}

// Streams at once, checking the order on the way: the pre-scan would read
// the whole file once more (15% of a streamed analysis). Problems are held
// back until the stream got through, so a restart does not report them
// twice.
bool stream_or_restart(const InputFile& input, TraceStreamSink& sink, Diagnostics& diag) {
  Diagnostics held(false);
  try {
    stream_recording(input, sink, held, true);
  } catch (const OrderBroken&) {
    sink.restart();
    return false;
  } catch (...) {
    diag.absorb(held);
    throw;
  }
  diag.absorb(held);
  return true;
}

}  // namespace

bool streams_in_order(std::string_view data, const InputFile* input) {
  ReleaseBehind behind(input);
  static constexpr std::string_view key = "\"timestamp\":";
  std::uint64_t last = 0;
  bool events = false;
  std::size_t pos = 0;
  while (pos < data.size()) {
    const char* nl = static_cast<const char*>(std::memchr(data.data() + pos, '\n', data.size() - pos));
    std::size_t end = nl ? static_cast<std::size_t>(nl - data.data()) : data.size();
    std::string_view line = data.substr(pos, end - pos);
    pos = end + 1;
    behind.reached(pos);
    if (line.substr(0, 8) == "{\"Meta\":") {
      if (events) return false;  // a view writes Meta first
      continue;
    }
    // Inside a JSON string a quote is always escaped, so the first match is the key.
    std::size_t k = line.find(key);
    if (k == std::string_view::npos) continue;
    std::size_t i = k + key.size();
    while (i < line.size() && line[i] == ' ') ++i;
    std::uint64_t ts = 0;
    if (text::parse_decimal(line, i, ts) != text::NumberResult::Ok) continue;  // malformed: the reader reports it
    if (ts < last) return false;
    last = ts;
    events = true;
  }
  behind.done();  // the reader starts over from the front
  return true;
}

void stream_trace(std::vector<std::unique_ptr<InputFile>> inputs, TraceStreamSink& sink, Diagnostics& diag,
                  const LoadOptions& options) {
  if (inputs.empty()) throw InputError("no input given");
  const InputFile& first = *inputs.front();
  if (inputs.size() == 1 && looks_like_recording(first.data())) {
    if (sink.can_restart()) {
      if (stream_or_restart(first, sink, diag)) return;
    } else if (streams_in_order(first.data(), &first)) {
      stream_recording(first, sink, diag, false);
      return;
    }
  }

  // Out of order, or an strace log: the loader sorts (and imports) first.
  auto trace = load_trace(std::move(inputs), diag, options);
  replay_trace(*trace, sink);
}

void replay_trace(const Trace& trace, TraceStreamSink& sink) {
  LifecycleWalker walker(sink);
  sink.begin({&trace.meta, trace.has_meta, trace.from_strace});
  // The walker adds the same events in the same order as the loader's tree,
  // so a process's serial equals its index there (SyscallRecord::process).
  ParsedLine parsed;
  for (const TraceEvent& te : trace.events) {
    parse_line(te.line, parsed);  // the loader parsed (or wrote) it already
    walker.add(parsed.event, te.line);
  }
  walker.finish(trace.has_stats ? trace.stats.end_timestamp : 0);
  TraceSummary summary = summarize(walker, trace.stats, trace.has_stats);
  summary.syscalls = trace.syscalls.get();
  sink.end(summary);
}

}  // namespace proctrace
