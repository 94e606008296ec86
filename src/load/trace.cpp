#include "load/trace.h"

#include <algorithm>

#include "import/exec_fds.h"
#include "import/log_end_snapshot.h"
#include "import/strace_import.h"
#include "import/syscall_table.h"
#include "io/event_json.h"
#include "io/recording_reader.h"

namespace proctrace {

namespace {

// Collects the events the options ask for; builds the model on the fly
// while they arrive in order (the common case), else sorts and rebuilds once
// at the end.
class TraceBuilder : public RecordSink {
 public:
  TraceBuilder(Trace& trace, const InputFile* input, LoadOptions::Events wanted)
      : trace_(trace), input_(input), behind_(input), wanted_(wanted) {}

  void on_meta(const Meta& meta) override {
    trace_.meta = meta;
    trace_.has_meta = true;
  }
  void on_stats(const Stats& stats) override {
    trace_.stats = stats;
    trace_.has_stats = true;
  }
  void on_snapshot(const ProcSnapshot& snapshot) override { trace_.snapshots.push_back(snapshot); }

  // strace imports: their Exec lines get fds after loading (add_exec_fds).
  bool fds_come_later = false;

  bool wants(const Event& e) const {
    switch (wanted_) {
      case LoadOptions::Events::All: return true;
      case LoadOptions::Events::ExecsWithFds: return e.kind == EventKind::Exec && (e.has_fds || fds_come_later);
      case LoadOptions::Events::None: return false;
    }
    return true;
  }
  // An event whose process the strace importer already placed in the tree
  // (in time order); its JSON line is written only when it is listed.
  void add_modelled(const Event& e, ProcessIndex p) {
    count(e);
    if (wants(e)) keep(e, {}, p);
  }

  void on_event(const Event& e, std::string_view line) override {
    // Lines are kept as views of the input; their pages can still go back
    // to the page cache, and fault in again for the views that reread them.
    behind_.reached(line.data());
    if (e.has_fds) trace_.exec_fds = true;
    if (trace_.event_count && e.timestamp < trace_.last_event) in_order_ = false;
    count(e);
    ProcessIndex p = in_order_ ? trace_.tree.add(e) : kNoProcess;
    // Out of order, every event is needed for the sort (see finish).
    if (!in_order_ || wants(e)) keep(e, line, p);
    else left_out_ = true;
  }

  void finish() {
    if (!in_order_) {
      if (left_out_) reread_all();
      std::stable_sort(trace_.events.begin(), trace_.events.end(),
                       [](const TraceEvent& a, const TraceEvent& b) { return a.timestamp < b.timestamp; });
      trace_.tree = ProcessTree{};
      ParsedLine parsed;
      for (auto& te : trace_.events) {
        parse_line(te.line, parsed);  // parsed fine the first time
        te.process = trace_.tree.add(parsed.event);
      }
      if (wanted_ != LoadOptions::Events::All) {
        std::erase_if(trace_.events, [&](const TraceEvent& te) {
          return te.kind != EventKind::Exec || !wants(parsed_event(te));
        });
        trace_.events.shrink_to_fit();
      }
    }
    Nanos end = trace_.has_stats ? trace_.stats.end_timestamp : 0;
    trace_.tree.finish(end);
    behind_.done();
  }

 private:
  void count(const Event& e) {
    if (trace_.event_count++ == 0 || e.timestamp < trace_.first_event) trace_.first_event = e.timestamp;
    if (e.timestamp > trace_.last_event) trace_.last_event = e.timestamp;
  }
  void keep(const Event& e, std::string_view line, ProcessIndex p) {
    if (line.empty()) {
      std::string& text = trace_.synthesized_lines.emplace_back();
      append_event_json(text, e);
      line = text;
    }
    trace_.events.push_back({e.timestamp, p, e.kind, line});
  }
  const Event& parsed_event(const TraceEvent& te) {
    parse_line(te.line, scratch_);
    return scratch_.event;
  }
  // Events were left out before the recording turned out to be out of
  // order (rare: the recorder sorts each drain): read it again, keeping
  // every event this time. Its problems were reported the first time.
  void reread_all() {
    trace_.events.clear();
    trace_.synthesized_lines.clear();
    struct All : RecordSink {
      TraceBuilder& b;
      ReleaseBehind behind;
      All(TraceBuilder& b, const InputFile* input) : b(b), behind(input) {}
      void on_event(const Event& e, std::string_view line) override {
        behind.reached(line.data());
        b.keep(e, line, kNoProcess);
      }
    } all(*this, input_);
    Diagnostics quiet(false);
    read_recording(input_->data(), input_->name(), all, quiet);
    all.behind.done();
  }

  Trace& trace_;
  const InputFile* input_;
  ReleaseBehind behind_;
  LoadOptions::Events wanted_;
  bool in_order_ = true;
  bool left_out_ = false;  // an event was not listed
  ParsedLine scratch_;
};

// Gives the Exec lines of an strace import the fds each execve kept,
// replayed from the log (import/exec_fds.h), as the eBPF recorder writes
// them on its Exec lines: the views that show inherited fds read them the
// same way. An exec by a thread other than the leader (its pid changes) is
// left without.
void add_exec_fds(Trace& trace, std::vector<strace::ExecFdTable> tables, bool list_only_those) {
  auto by_time = [](const strace::ExecFdTable& t, std::pair<Nanos, Pid> key) {
    return std::make_pair(t.timestamp, t.pid) < key;
  };
  std::sort(tables.begin(), tables.end(), [](const auto& a, const auto& b) {
    return std::make_pair(a.timestamp, a.pid) < std::make_pair(b.timestamp, b.pid);
  });
  ParsedLine parsed;
  std::vector<TraceEvent> with_fds;
  for (TraceEvent& te : trace.events) {
    if (te.kind != EventKind::Exec || te.process == kNoProcess) continue;
    std::pair<Nanos, Pid> key{te.timestamp, trace.tree[te.process].pid};
    auto it = std::lower_bound(tables.begin(), tables.end(), key, by_time);
    if (it == tables.end() || std::make_pair(it->timestamp, it->pid) != key) continue;
    if (!parse_line(te.line, parsed) || parsed.kind != LineKind::Event) continue;
    parsed.event.fds = std::move(it->fds);
    parsed.event.fds_cut = it->cut;
    parsed.event.has_fds = true;
    std::string& line = trace.synthesized_lines.emplace_back();
    append_event_json(line, parsed.event);
    te.line = line;
    trace.exec_fds = true;
    if (list_only_those) with_fds.push_back(te);
  }
  if (list_only_those) trace.events = std::move(with_fds);
}

}  // namespace

void warn_if_incomplete(const Meta& meta, bool has_meta, const Stats& stats, bool has_stats,
                        const ReadSummary& summary, const std::string& name, Diagnostics& diag) {
  if (has_stats && stats.total_lost()) {
    std::string causes;
    for (auto& [cause, n] : stats.lost)
      if (n) causes += (causes.empty() ? "" : ", ") + cause + ": " + std::to_string(n);
    diag.warning(name, 0,
                 "incomplete recording: the recorder lost " + std::to_string(stats.total_lost()) + " events (" +
                     causes + ")");
  }
  // Live recorders end with Stats; imports and the original proctrace do not.
  bool live = meta.backend == "bpf" || meta.backend == "strace";
  if (has_meta && live && !has_stats && !summary.cut)
    diag.warning(name, 0, "incomplete recording: no Stats line at the end (was the recorder killed?)");
}

std::vector<std::unique_ptr<InputFile>> open_inputs(const std::vector<std::string>& paths) {
  if (paths.empty()) throw InputError("no input given");
  std::vector<std::unique_ptr<InputFile>> inputs;
  for (auto& p : expand_strace_ff_prefix(paths)) inputs.push_back(std::make_unique<InputFile>(p));
  return inputs;
}

std::unique_ptr<Trace> load_trace(const std::vector<std::string>& paths, Diagnostics& diag,
                                  const LoadOptions& options) {
  return load_trace(open_inputs(paths), diag, options);
}

std::unique_ptr<Trace> load_trace(std::vector<std::unique_ptr<InputFile>> inputs, Diagnostics& diag,
                                  const LoadOptions& options) {
  auto trace = std::make_unique<Trace>();
  if (inputs.empty()) throw InputError("no input given");
  trace->inputs = std::move(inputs);

  const InputFile& first = *trace->inputs.front();
  TraceBuilder builder(*trace, &first, options.events);  // a recording is one file
  std::vector<strace::ExecFdTable> exec_tables;  // strace imports with exec_fds
  if (looks_like_recording(first.data())) {
    if (trace->inputs.size() > 1) throw InputError("several inputs are only accepted for strace -ff logs");
    ReadSummary summary = read_recording(first.data(), first.name(), builder, diag);
    warn_if_incomplete(trace->meta, trace->has_meta, trace->stats, trace->has_stats, summary, first.name(), diag);
  } else if (first.data().find_first_not_of(" \t\r\n") == std::string_view::npos) {
    throw InputError(first.name() + ": empty file, expected a recording or strace log");
  } else {
    trace->from_strace = true;
    std::vector<const InputFile*> inputs;
    for (auto& in : trace->inputs) inputs.push_back(in.get());
    StraceImport import;
    import.attach_pid = options.attach_pid;
    import.date = options.date;
    builder.fds_come_later = options.exec_fds;
    if (options.keep_syscalls || options.log_end_snapshot || options.exec_fds) {
      trace->syscalls = std::make_shared<SyscallTable>();
      import.syscalls = trace->syscalls.get();
    }
    import.on_event = [&](const Event& e, ProcessIndex p) { builder.add_modelled(e, p); };
    import_strace(inputs, import, trace->meta, diag);
    trace->tree = std::move(import.tree);
    if (options.exec_fds || options.log_end_snapshot) {
      // One replay of the log serves both: the fds at each exec on the
      // way, the state at its end after.
      strace::FdReplay replay(*trace->syscalls);
      if (options.exec_fds) exec_tables = strace::fds_at_execs(*trace->syscalls, replay);
      std::optional<ProcSnapshot> snap;
      if (options.log_end_snapshot)
        snap = options.exec_fds ? strace::snapshot_at_log_end(trace->tree, *trace->syscalls, replay)
                                : strace::snapshot_at_log_end(trace->tree, *trace->syscalls);
      if (snap) trace->snapshots.push_back(std::move(*snap));
    }
    trace->stats = std::move(import.stats);
    trace->has_stats = true;
    trace->has_meta = true;
  }
  builder.finish();
  if (trace->from_strace && trace->syscalls) {
    if (options.exec_fds)
      add_exec_fds(*trace, std::move(exec_tables), options.events == LoadOptions::Events::ExecsWithFds);
    if (!options.keep_syscalls) trace->syscalls.reset();  // only the replays needed them
  }
  if (trace->event_count == 0)
    throw InputError(first.name() + ": no valid events found");
  return trace;
}

}  // namespace proctrace
