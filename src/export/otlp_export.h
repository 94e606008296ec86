// OpenTelemetry export: OTLP/HTTP, binary protobuf (the default) or JSON
// bodies (otlp_encoding.h). One trace per recording
// (trace id = the recording's content hash), one span per exec segment,
// parented by the span of the parent's program that forked the process.
// Spans go out in batches with retries and back-off; whatever could not be
// delivered is counted and reported, never dropped silently.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "export/content_hash.h"
#include "export/http_client.h"
#include "export/otlp_encoding.h"
#include "export/recording_source.h"

namespace proctrace {

class SyscallTable;

// A W3C trace context (the `traceparent` header, $TRACEPARENT): the trace
// and span the exported spans hang under, e.g. a CI job's own span.
struct TraceParent {
  ContentHash trace_id;  // 16 bytes, never all zero
  std::uint64_t span_id = 0;  // never zero
};

// Filled from the OTEL_* environment by otlp_options_from_environment()
// (otlp_environment.h), then from the command line.
struct OtlpOptions {
  std::string endpoint;  // full URL of the traces endpoint
  std::string service_name = "proctrace";
  // From $OTEL_RESOURCE_ATTRIBUTES, in order; they replace the attributes
  // proctrace would set under the same key, except service.name.
  std::vector<std::pair<std::string, std::string>> resource_attributes;
  // Unset: one trace per recording, its id the recording's hash.
  std::optional<TraceParent> parent;
  std::vector<std::string> headers;  // "Name: value", e.g. an API key
  OtlpProtocol protocol = OtlpProtocol::HttpProtobuf;
  std::size_t batch_spans = 512;  // and log records per request
  // --logs: strace imports also send each syscall line as a log record to
  // logs_endpoint, tied to its process's span.
  bool logs = false;
  std::string logs_endpoint;
  // systrument's --relative-to-now: times shifted so that the recording's
  // first event is at now_unix_ns (the export's start).
  bool relative_to_now = false;
  std::uint64_t now_unix_ns = 0;
  HttpLimits http;
  Backoff backoff;
};

class OtlpExport : public RecordingExport {
 public:
  explicit OtlpExport(OtlpOptions options) : options_(std::move(options)), http_(options_.http) {}

  void begin(const RecordingHeader& header) override;
  void process_started(const Process& p, const Process* parent) override;
  void segment_ended(const Process& p, std::size_t segment) override;
  void process_ended(const Process& p) override;
  // Throws ExportError naming how many spans were not delivered.
  void end(const RecordingSummary& summary) override;

  std::uint64_t spans_sent() const { return sent_; }
  std::uint64_t logs_sent() const { return logs_sent_; }
  std::uint64_t requests() const { return requests_; }

  std::uint64_t span_id(std::uint64_t process_serial, std::size_t segment) const;

 private:
  void add_span(const Process& p, std::size_t segment, std::optional<std::uint64_t> parent, Nanos end,
                bool still_running);
  std::optional<std::uint64_t> parent_of(const Process& p) const;
  std::uint64_t unix_nanos(Nanos t);
  void send_batch();
  void send_logs(const SyscallTable& table);
  // POSTs with retries; false (failure_ says why) when it did not arrive.
  bool post(const std::string& url, const std::string& body);

  OtlpOptions options_;
  HttpClient http_;
  RecordingHeader header_;
  OtlpResource resource_;
  std::vector<OtlpSpan> batch_;
  std::unordered_map<ProcessIndex, std::uint64_t> parent_span_;  // live processes only
  struct StillRunning {
    Process process;  // a copy: the model's storage moves as it grows
    std::size_t segment;
    std::optional<std::uint64_t> parent;
  };
  std::vector<StillRunning> still_running_;
  // --logs: each process's spans (by serial) as (segment start, span id).
  std::unordered_map<std::uint64_t, std::vector<std::pair<Nanos, std::uint64_t>>> log_spans_;
  std::uint64_t logs_sent_ = 0, logs_not_sent_ = 0;
  std::optional<std::int64_t> shift_;  // --relative-to-now: added to every wall-clock time
  std::uint64_t sent_ = 0;
  std::uint64_t not_sent_ = 0;
  std::uint64_t requests_ = 0;
  std::string failure_;
};

}  // namespace proctrace
