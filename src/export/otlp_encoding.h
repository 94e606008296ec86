// The two OTLP/HTTP bodies of an ExportTraceServiceRequest (and of an
// ExportLogsServiceRequest): binary protobuf
// (the OTel spec's default, Content-Type application/x-protobuf) and the
// protobuf JSON mapping (application/json). The exporter builds spans once,
// as OtlpSpan values, and one of these turns a batch into bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "export/content_hash.h"

namespace proctrace {

enum class OtlpProtocol { HttpProtobuf, HttpJson };

// "http/protobuf" or "http/json", as OTEL_EXPORTER_OTLP_PROTOCOL spells them.
[[nodiscard]] std::optional<OtlpProtocol> parse_otlp_protocol(std::string_view name);
std::string_view otlp_content_type(OtlpProtocol protocol);

struct OtlpAttribute {
  std::string key;
  // A string, an integer, a boolean or an array of strings: all the
  // exporter needs of OTLP's AnyValue.
  std::variant<std::string, std::int64_t, bool, std::vector<std::string>> value;
};

struct OtlpSpan {
  std::uint64_t span_id = 0;
  std::optional<std::uint64_t> parent_span_id;
  std::string name;
  std::uint64_t start_unix_ns = 0, end_unix_ns = 0;
  std::vector<OtlpAttribute> attributes;
  std::optional<std::string> error;  // status ERROR with this message
};

// What every request of one export repeats.
struct OtlpResource {
  ContentHash trace_id;
  std::vector<OtlpAttribute> attributes;
};

std::string encode_otlp(OtlpProtocol protocol, const OtlpResource& resource, const std::vector<OtlpSpan>& spans);

// One log record (`--logs`: a syscall line of an strace log), in the trace
// of the spans and tied to its process's span.
struct OtlpLogRecord {
  std::uint64_t time_unix_ns = 0;
  std::string body;
  std::vector<OtlpAttribute> attributes;
  std::optional<std::uint64_t> span_id;
  bool warn = false;  // severity WARN (a failed call) instead of INFO
};

// An ExportLogsServiceRequest (collector/logs/v1/logs_service.proto).
std::string encode_otlp_logs(OtlpProtocol protocol, const OtlpResource& resource,
                             const std::vector<OtlpLogRecord>& records);

}  // namespace proctrace
