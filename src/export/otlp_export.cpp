#include "export/otlp_export.h"

#include <algorithm>

#include "export/http_checks.h"
#include "import/syscall_table.h"

namespace proctrace {

namespace {

std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 31;
  x *= 0x7fb5d329728ea185ull;
  x ^= x >> 27;
  x *= 0x81dadef4bc2dd44dull;
  x ^= x >> 33;
  return x;
}

// Attribute lists are built in the order they go out.
class Attributes {
 public:
  explicit Attributes(std::vector<OtlpAttribute>& out) : out_(out) {}
  void str(std::string_view key, std::string_view v) { out_.push_back({std::string(key), std::string(v)}); }
  void integer(std::string_view key, std::int64_t v) { out_.push_back({std::string(key), v}); }
  void boolean(std::string_view key, bool v) { out_.push_back({std::string(key), v}); }
  void strings(std::string_view key, const std::vector<std::string>& values) {
    out_.push_back({std::string(key), values});
  }

 private:
  std::vector<OtlpAttribute>& out_;
};

bool retryable(long status) { return status == 429 || status == 502 || status == 503 || status == 504; }

}  // namespace

std::uint64_t OtlpExport::span_id(std::uint64_t p, std::size_t segment) const {
  // Deterministic, so a re-export produces the same ids; never zero (invalid).
  std::uint64_t id = mix(header_.hash.lo ^ mix((p << 20) ^ segment ^ 0x5eed));
  return id ? id : 1;
}

void OtlpExport::begin(const RecordingHeader& header) {
  header_ = header;
  // Under a $TRACEPARENT the spans join that trace; else the recording is
  // its own trace, with the same id at every export.
  resource_.trace_id = options_.parent ? options_.parent->trace_id : header.hash;
  batch_.clear();
  sent_ = not_sent_ = 0;
  failure_.clear();
  parent_span_.clear();
  still_running_.clear();
  log_spans_.clear();
  logs_sent_ = logs_not_sent_ = 0;
  shift_.reset();

  const Meta& meta = *header.meta;
  resource_.attributes.clear();
  {
    Attributes a(resource_.attributes);
    a.str("service.name", options_.service_name);
    // $OTEL_RESOURCE_ATTRIBUTES says what the user knows better (a host
    // name as the CI system calls it): theirs replace ours.
    auto user_set = [&](std::string_view key) {
      return std::any_of(options_.resource_attributes.begin(), options_.resource_attributes.end(),
                         [&](const auto& kv) { return kv.first == key; });
    };
    if (!meta.host.empty() && !user_set("host.name")) a.str("host.name", meta.host);
    if (!meta.kernel.empty() && !user_set("os.version")) a.str("os.version", meta.kernel);
    if (!meta.command.empty() && !user_set("proctrace.command")) a.strings("proctrace.command", meta.command);
    if (!meta.backend.empty() && !user_set("proctrace.backend")) a.str("proctrace.backend", meta.backend);
    if (!user_set("proctrace.recording")) a.str("proctrace.recording", header.hash.hex());
    for (const auto& [key, value] : options_.resource_attributes)
      if (key != "service.name") a.str(key, value);
  }
}

void OtlpExport::process_started(const Process& p, const Process* parent) {
  // --relative-to-now: the recording moves so that its first event is now
  // (backends such as Tempo drop spans older than their window). Processes
  // start in time order: the first one is the earliest.
  if (options_.relative_to_now && !shift_)
    shift_ = static_cast<std::int64_t>(options_.now_unix_ns) - header_.meta->wall_clock_ns(p.start);
  if (parent && !parent->segments.empty())
    parent_span_[p.index] = span_id(parent->serial, parent->segments.size() - 1);
}

void OtlpExport::process_ended(const Process& p) { parent_span_.erase(p.index); }

std::optional<std::uint64_t> OtlpExport::parent_of(const Process& p) const {
  if (auto it = parent_span_.find(p.index); it != parent_span_.end()) return it->second;
  // A root of the recording: under $TRACEPARENT, a child of that span.
  if (options_.parent) return options_.parent->span_id;
  return std::nullopt;
}

void OtlpExport::segment_ended(const Process& p, std::size_t n) {
  const ExecSegment& s = p.segments[n];
  if (options_.logs) log_spans_[p.serial].emplace_back(s.start, span_id(p.serial, n));
  if (auto end = p.segment_end(n)) {
    add_span(p, n, parent_of(p), *end, false);
  } else {
    // A span needs an end: it gets the recording's, known only at the end.
    still_running_.push_back({p, n, parent_of(p)});
  }
}

std::uint64_t OtlpExport::unix_nanos(Nanos t) {
  std::int64_t wall = header_.meta->wall_clock_ns(t);
  if (shift_) wall += *shift_;  // --relative-to-now (process_started)
  // OTLP times are unsigned; a wall clock before 1970 is a broken offset.
  return static_cast<std::uint64_t>(std::max<std::int64_t>(0, wall));
}

void OtlpExport::add_span(const Process& p, std::size_t n, std::optional<std::uint64_t> parent, Nanos end,
                          bool still_running) {
  const ExecSegment& s = p.segments[n];
  OtlpSpan& span = batch_.emplace_back();
  span.span_id = span_id(p.serial, n);
  span.parent_span_id = parent;
  std::string_view program = program_name(s);
  span.name = program.empty() ? std::string_view("process") : program;
  span.start_unix_ns = unix_nanos(s.start);
  span.end_unix_ns = unix_nanos(end);
  const bool last = n + 1 == p.segments.size();
  const bool exited_here = last && p.end;
  {
    Attributes a(span.attributes);
    a.integer("process.pid", p.pid);
    a.integer("process.parent_pid", p.ppid);
    a.strings("process.command_args", s.argv.to_vector());
    if (!s.filename.empty()) a.str("process.executable.path", s.filename);
    if (!program.empty()) a.str("process.executable.name", program);
    if (exited_here && p.exit.code) a.integer("process.exit.code", *p.exit.code);
    if (exited_here && p.exit.signal) a.integer("proctrace.exit.signal", *p.exit.signal);
    if (exited_here && p.failed_execs) a.integer("proctrace.failed_execs", p.failed_execs);
    if (exited_here && p.usage)  // measured for the whole process, so on its last span
      for (auto& f : kResourceUsageFields)
        if (auto& v = (*p.usage).*f.value) a.integer("proctrace.usage." + std::string(f.name), static_cast<std::int64_t>(*v));
    if (s.inherited) a.boolean("proctrace.forked_without_exec", true);
    if (still_running) a.boolean("proctrace.still_running", true);
    a.integer("proctrace.segment", static_cast<std::int64_t>(n));
  }
  if (exited_here && p.exit.known() && !p.exit.success())
    span.error = p.exit.signal ? "killed by signal " + std::to_string(*p.exit.signal)
                               : "exit code " + std::to_string(*p.exit.code);
  if (batch_.size() >= options_.batch_spans) send_batch();
}

void OtlpExport::send_batch() {
  if (batch_.empty()) return;
  const std::size_t count = batch_.size();
  if (!failure_.empty()) {
    // The endpoint already failed for good: count, do not hammer it.
    not_sent_ += count;
    batch_.clear();
    return;
  }
  const std::string body = encode_otlp(options_.protocol, resource_, batch_);
  batch_.clear();
  if (post(options_.endpoint, body)) sent_ += count;
  else not_sent_ += count;
}

bool OtlpExport::post(const std::string& url, const std::string& body) {
  std::string last_error;
  bool permanent = false;  // a 4xx other than 429, a timeout: sending again will not help
  int attempts = 0;
  bool answered = retry_with_backoff(options_.backoff, [&](int) {
    requests_++;
    attempts++;
    try {
      HttpResponse r = http_.post(url, body, otlp_content_type(options_.protocol), options_.headers);
      if (r.ok()) return true;
      last_error = r.describe();
      permanent = !retryable(r.status);
      return permanent;
    } catch (const HttpUnreachable& e) {
      last_error = e.what();
      permanent = !e.worth_retrying;
      return permanent;
    } catch (const HttpBadResponse& e) {
      last_error = e.what();
      permanent = true;
      return true;
    }
  });
  if (answered && !permanent) return true;
  failure_ = attempts > 1 ? last_error + " (after " + std::to_string(attempts) + " attempts)" : last_error;
  return false;
}

void OtlpExport::send_logs(const SyscallTable& table) {
  std::vector<OtlpLogRecord> batch;
  auto flush = [&] {
    if (batch.empty()) return;
    const std::size_t count = batch.size();
    // After a failure for good, count the rest without sending.
    const bool delivered = failure_.empty() && post(options_.logs_endpoint, encode_otlp_logs(options_.protocol, resource_, batch));
    (delivered ? logs_sent_ : logs_not_sent_) += count;
    batch.clear();
  };
  for (std::uint32_t i : table.order_by_start()) {
    const SyscallRecord& r = table.at(i);
    if (r.process == kNoProcess) continue;  // a thread of no known process
    OtlpLogRecord& l = batch.emplace_back();
    l.time_unix_ns = unix_nanos(r.start);
    l.body = table.call_text(r);
    l.warn = r.err != 0;
    Attributes a(l.attributes);
    a.integer("process.pid", r.tgid);
    a.integer("thread.id", r.tid);
    a.str("proctrace.syscall", table.name(r.name));
    if (r.has_duration()) a.integer("proctrace.duration_ns", static_cast<std::int64_t>(r.duration));
    if (r.err) a.str("proctrace.errno", table.errno_name(r.err));
    // The span of the program the process ran then.
    if (auto spans = log_spans_.find(r.process); spans != log_spans_.end() && !spans->second.empty()) {
      auto after = std::upper_bound(spans->second.begin(), spans->second.end(), r.start,
                                    [](Nanos t, const auto& s) { return t < s.first; });
      l.span_id = (after == spans->second.begin() ? after : after - 1)->second;
    }
    if (batch.size() >= options_.batch_spans) flush();
  }
  flush();
}

void OtlpExport::end(const RecordingSummary& summary) {
  for (auto& r : still_running_) add_span(r.process, r.segment, r.parent, summary.last_timestamp, true);
  still_running_.clear();
  send_batch();
  if (options_.logs && summary.syscalls) send_logs(*summary.syscalls);
  if (not_sent_)
    throw ExportError("OTLP endpoint " + printable_excerpt(options_.endpoint) + ": " + std::to_string(not_sent_) + " of " +
                      std::to_string(sent_ + not_sent_) + " spans not sent: " + failure_);
  if (logs_not_sent_)
    throw ExportError("OTLP logs endpoint " + printable_excerpt(options_.logs_endpoint) + ": " +
                      std::to_string(logs_not_sent_) + " of " + std::to_string(logs_sent_ + logs_not_sent_) +
                      " log records not sent: " + failure_);
}

}  // namespace proctrace
