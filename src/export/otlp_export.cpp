#include "export/otlp_export.h"

#include <algorithm>

#include "export/http_checks.h"
#include "io/json_text.h"

namespace proctrace {

namespace {

std::string hex16(std::uint64_t v) {
  static const char digits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 0; i < 16; ++i) out[15 - i] = digits[(v >> (4 * i)) & 15];
  return out;
}

std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 31;
  x *= 0x7fb5d329728ea185ull;
  x ^= x >> 27;
  x *= 0x81dadef4bc2dd44dull;
  x ^= x >> 33;
  return x;
}

// OTLP/JSON: attributes are [{"key":..,"value":{"stringValue":..}}], and
// 64-bit integers are decimal strings.
class Attributes {
 public:
  explicit Attributes(std::string& out) : out_(out) { out_ += "\"attributes\":["; }
  ~Attributes() { out_ += ']'; }
  void str(std::string_view key, std::string_view v) {
    open(key, "stringValue");
    json::append_string(out_, v);
    out_ += "}}";
  }
  void integer(std::string_view key, std::int64_t v) {
    open(key, "intValue");
    out_ += '"';
    json::append_int(out_, v);
    out_ += "\"}}";
  }
  void boolean(std::string_view key, bool v) {
    open(key, "boolValue");
    out_ += v ? "true}}" : "false}}";
  }
  void strings(std::string_view key, const std::vector<std::string>& values) {
    open(key, "arrayValue");
    out_ += "{\"values\":[";
    for (std::size_t i = 0; i < values.size(); ++i) {
      out_ += i ? ",{\"stringValue\":" : "{\"stringValue\":";
      json::append_string(out_, values[i]);
      out_ += '}';
    }
    out_ += "]}}}";
  }

 private:
  void open(std::string_view key, std::string_view type) {
    if (any_) out_ += ',';
    any_ = true;
    out_ += "{\"key\":";
    json::append_string(out_, key);
    out_ += ",\"value\":{\"";
    out_ += type;
    out_ += "\":";
  }
  std::string& out_;
  bool any_ = false;
};

bool retryable(long status) { return status == 429 || status == 502 || status == 503 || status == 504; }

// OTLP's numeric enums (trace.proto: Span.SpanKind, Status.StatusCode).
constexpr int kSpanKindInternal = 1;
constexpr int kStatusError = 2;

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
  trace_id_ = options_.parent ? options_.parent->trace_id.hex() : header.hash.hex();
  spans_json_.clear();
  batched_ = 0;
  sent_ = not_sent_ = 0;
  failure_.clear();
  parent_span_.clear();
  still_running_.clear();

  const Meta& meta = *header.meta;
  resource_json_.clear();
  {
    Attributes a(resource_json_);
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
  if (s.end) {
    add_span(p, n, parent_of(p), *s.end, false);
  } else {
    // A span needs an end: it gets the recording's, known only at the end.
    still_running_.push_back({p, n, parent_of(p)});
  }
}

void OtlpExport::add_span(const Process& p, std::size_t n, std::optional<std::uint64_t> parent, Nanos end,
                          bool still_running) {
  const ExecSegment& s = p.segments[n];
  // OTLP times are unsigned; a wall clock before 1970 is a broken offset.
  auto unix_nanos = [&](Nanos t) { return static_cast<Nanos>(std::max<std::int64_t>(0, header_.meta->wall_clock_ns(t))); };
  std::string& out = spans_json_;
  if (batched_) out += ',';
  out += "{\"traceId\":\"";
  out += trace_id_;
  out += "\",\"spanId\":\"";
  out += hex16(span_id(p.serial, n));
  out += '"';
  if (parent) {
    out += ",\"parentSpanId\":\"";
    out += hex16(*parent);
    out += '"';
  }
  out += ",\"name\":";
  std::string_view program = program_name(s);
  json::append_string(out, program.empty() ? std::string_view("process") : program);
  out += ",\"kind\":";
  json::append_int(out, kSpanKindInternal);
  out += ",\"startTimeUnixNano\":\"";
  json::append_uint(out, unix_nanos(s.start));
  out += "\",\"endTimeUnixNano\":\"";
  json::append_uint(out, unix_nanos(end));
  out += "\",";
  const bool last = n + 1 == p.segments.size();
  const bool exited_here = last && p.end && s.end && *p.end == *s.end;
  {
    Attributes a(out);
    a.integer("process.pid", p.pid);
    a.integer("process.parent_pid", p.ppid);
    a.strings("process.command_args", s.argv);
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
  if (exited_here && p.exit.known() && !p.exit.success()) {
    out += ",\"status\":{\"code\":";
    json::append_int(out, kStatusError);
    out += ",\"message\":";
    json::append_string(out, p.exit.signal ? "killed by signal " + std::to_string(*p.exit.signal)
                                           : "exit code " + std::to_string(*p.exit.code));
    out += '}';
  }
  out += '}';
  if (++batched_ >= options_.batch_spans) send_batch();
}

void OtlpExport::send_batch() {
  if (!batched_) return;
  const std::size_t count = batched_;
  batched_ = 0;
  if (!failure_.empty()) {
    // The endpoint already failed for good: count, do not hammer it.
    not_sent_ += count;
    spans_json_.clear();
    return;
  }
  std::string body = "{\"resourceSpans\":[{\"resource\":{" + resource_json_ +
                     "},\"scopeSpans\":[{\"scope\":{\"name\":\"proctrace\",\"version\":\"" PROCTRACE_VERSION
                     "\"},\"spans\":[";
  body += spans_json_;
  body += "]}]}]}";
  spans_json_.clear();

  std::string last_error;
  bool permanent = false;  // a 4xx other than 429, a timeout: sending again will not help
  int attempts = 0;
  bool answered = retry_with_backoff(options_.backoff, [&](int) {
    requests_++;
    attempts++;
    try {
      HttpResponse r = http_.post(options_.endpoint, body, "application/json", options_.headers);
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
  if (answered && !permanent) {
    sent_ += count;
  } else {
    failure_ = attempts > 1 ? last_error + " (after " + std::to_string(attempts) + " attempts)" : last_error;
    not_sent_ += count;
  }
}

void OtlpExport::end(const RecordingSummary& summary) {
  for (auto& r : still_running_) add_span(r.process, r.segment, r.parent, summary.last_timestamp, true);
  still_running_.clear();
  send_batch();
  if (not_sent_)
    throw ExportError("OTLP endpoint " + printable_excerpt(options_.endpoint) + ": " + std::to_string(not_sent_) + " of " +
                      std::to_string(sent_ + not_sent_) + " spans not sent: " + failure_);
}

}  // namespace proctrace
