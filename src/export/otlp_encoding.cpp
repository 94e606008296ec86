#include "export/otlp_encoding.h"

#include "export/proto_writer.h"
#include "io/json_text.h"

namespace proctrace {

namespace {

// OTLP's numeric enums (trace.proto: Span.SpanKind, Status.StatusCode).
constexpr int kSpanKindInternal = 1;
constexpr int kStatusError = 2;

// Field numbers of opentelemetry-proto (collector/trace/v1/trace_service.proto,
// trace/v1/trace.proto, common/v1/common.proto, resource/v1/resource.proto).
namespace field {
constexpr std::uint32_t kRequestResourceSpans = 1;
constexpr std::uint32_t kResourceSpansResource = 1, kResourceSpansScopeSpans = 2;
constexpr std::uint32_t kResourceAttributes = 1;
constexpr std::uint32_t kScopeSpansScope = 1, kScopeSpansSpans = 2;
constexpr std::uint32_t kScopeName = 1, kScopeVersion = 2;
constexpr std::uint32_t kSpanTraceId = 1, kSpanSpanId = 2, kSpanParentSpanId = 4, kSpanName = 5, kSpanKind = 6,
                        kSpanStart = 7, kSpanEnd = 8, kSpanAttributes = 9, kSpanStatus = 15;
constexpr std::uint32_t kStatusMessage = 2, kStatusCode = 3;
constexpr std::uint32_t kKeyValueKey = 1, kKeyValueValue = 2;
constexpr std::uint32_t kAnyString = 1, kAnyBool = 2, kAnyInt = 3, kAnyArray = 5;
constexpr std::uint32_t kArrayValues = 1;
// logs/v1/logs.proto, collector/logs/v1/logs_service.proto
constexpr std::uint32_t kRequestResourceLogs = 1;
constexpr std::uint32_t kResourceLogsResource = 1, kResourceLogsScopeLogs = 2;
constexpr std::uint32_t kScopeLogsScope = 1, kScopeLogsRecords = 2;
constexpr std::uint32_t kLogTime = 1, kLogSeverityNumber = 2, kLogSeverityText = 3, kLogBody = 5, kLogAttributes = 6,
                        kLogTraceId = 9, kLogSpanId = 10, kLogObservedTime = 11;
}  // namespace field

// logs.proto's SeverityNumber.
constexpr int kSeverityInfo = 9, kSeverityWarn = 13;

constexpr std::string_view kScopeName = "proctrace";
constexpr std::string_view kScopeVersion = PROCTRACE_VERSION;

// Ids go over the wire as big-endian bytes: the order of their hex form.
std::string id_bytes(std::uint64_t v) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[7 - i] = static_cast<char>((v >> (8 * i)) & 0xff);
  return out;
}

std::string hex16(std::uint64_t v) {
  static const char digits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 0; i < 16; ++i) out[15 - i] = digits[(v >> (4 * i)) & 15];
  return out;
}

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

// --- binary protobuf ---

// proto3 strings must be UTF-8 (collectors refuse a request otherwise), and
// argv from an strace log is raw bytes: those that are not UTF-8 become
// U+FFFD, as in the JSON body.
void utf8(proto::Writer& w, std::uint32_t field_number, std::string_view s) {
  std::string valid;
  json::append_valid_utf8(valid, s);
  w.bytes(field_number, valid);
}

void proto_attributes(proto::Writer& w, std::uint32_t field_number, const std::vector<OtlpAttribute>& attributes) {
  for (const OtlpAttribute& a : attributes) {
    const std::size_t kv = w.begin(field_number);
    utf8(w, field::kKeyValueKey, a.key);
    const std::size_t any = w.begin(field::kKeyValueValue);
    std::visit(Overloaded{
                   [&](const std::string& s) { utf8(w, field::kAnyString, s); },
                   [&](std::int64_t v) { w.int64(field::kAnyInt, v); },
                   [&](bool v) { w.boolean(field::kAnyBool, v); },
                   [&](const std::vector<std::string>& values) {
                     const std::size_t array = w.begin(field::kAnyArray);
                     for (const std::string& s : values) {
                       const std::size_t item = w.begin(field::kArrayValues);
                       utf8(w, field::kAnyString, s);
                       w.end(item);
                     }
                     w.end(array);
                   },
               },
               a.value);
    w.end(any);
    w.end(kv);
  }
}

void proto_scope(proto::Writer& w, std::uint32_t field_number) {
  const std::size_t scope = w.begin(field_number);
  utf8(w, field::kScopeName, kScopeName);
  utf8(w, field::kScopeVersion, kScopeVersion);
  w.end(scope);
}

std::string encode_protobuf(const OtlpResource& resource, const std::vector<OtlpSpan>& spans) {
  std::string out;
  proto::Writer w(out);
  const std::string trace_id = id_bytes(resource.trace_id.hi) + id_bytes(resource.trace_id.lo);
  const std::size_t resource_spans = w.begin(field::kRequestResourceSpans);
  {
    const std::size_t r = w.begin(field::kResourceSpansResource);
    proto_attributes(w, field::kResourceAttributes, resource.attributes);
    w.end(r);
  }
  const std::size_t scope_spans = w.begin(field::kResourceSpansScopeSpans);
  proto_scope(w, field::kScopeSpansScope);
  for (const OtlpSpan& s : spans) {
    const std::size_t span = w.begin(field::kScopeSpansSpans);
    w.bytes(field::kSpanTraceId, trace_id);
    w.bytes(field::kSpanSpanId, id_bytes(s.span_id));
    if (s.parent_span_id) w.bytes(field::kSpanParentSpanId, id_bytes(*s.parent_span_id));
    utf8(w, field::kSpanName, s.name);
    w.varint(field::kSpanKind, kSpanKindInternal);
    w.fixed64(field::kSpanStart, s.start_unix_ns);
    w.fixed64(field::kSpanEnd, s.end_unix_ns);
    proto_attributes(w, field::kSpanAttributes, s.attributes);
    if (s.error) {
      const std::size_t status = w.begin(field::kSpanStatus);
      utf8(w, field::kStatusMessage, *s.error);
      w.varint(field::kStatusCode, kStatusError);
      w.end(status);
    }
    w.end(span);
  }
  w.end(scope_spans);
  w.end(resource_spans);
  return out;
}

std::string encode_logs_protobuf(const OtlpResource& resource, const std::vector<OtlpLogRecord>& records) {
  std::string out;
  proto::Writer w(out);
  const std::string trace_id = id_bytes(resource.trace_id.hi) + id_bytes(resource.trace_id.lo);
  const std::size_t resource_logs = w.begin(field::kRequestResourceLogs);
  {
    const std::size_t r = w.begin(field::kResourceLogsResource);
    proto_attributes(w, field::kResourceAttributes, resource.attributes);
    w.end(r);
  }
  const std::size_t scope_logs = w.begin(field::kResourceLogsScopeLogs);
  proto_scope(w, field::kScopeLogsScope);
  for (const OtlpLogRecord& l : records) {
    const std::size_t record = w.begin(field::kScopeLogsRecords);
    w.fixed64(field::kLogTime, l.time_unix_ns);
    w.varint(field::kLogSeverityNumber, l.warn ? kSeverityWarn : kSeverityInfo);
    utf8(w, field::kLogSeverityText, l.warn ? "WARN" : "INFO");
    {
      const std::size_t body = w.begin(field::kLogBody);
      utf8(w, field::kAnyString, l.body);
      w.end(body);
    }
    proto_attributes(w, field::kLogAttributes, l.attributes);
    w.bytes(field::kLogTraceId, trace_id);
    if (l.span_id) w.bytes(field::kLogSpanId, id_bytes(*l.span_id));
    w.fixed64(field::kLogObservedTime, l.time_unix_ns);
    w.end(record);
  }
  w.end(scope_logs);
  w.end(resource_logs);
  return out;
}

// --- JSON (the protobuf JSON mapping, with OTLP's exceptions: ids as hex,
// not base64; 64-bit integers as decimal strings) ---

void json_attributes(std::string& out, const std::vector<OtlpAttribute>& attributes) {
  out += "\"attributes\":[";
  bool first = true;
  for (const OtlpAttribute& a : attributes) {
    out += first ? "{\"key\":" : ",{\"key\":";
    first = false;
    json::append_string(out, a.key);
    out += ",\"value\":{";
    std::visit(Overloaded{
                   [&](const std::string& s) {
                     out += "\"stringValue\":";
                     json::append_string(out, s);
                   },
                   [&](std::int64_t v) {
                     out += "\"intValue\":\"";
                     json::append_int(out, v);
                     out += '"';
                   },
                   [&](bool v) { out += v ? "\"boolValue\":true" : "\"boolValue\":false"; },
                   [&](const std::vector<std::string>& values) {
                     out += "\"arrayValue\":{\"values\":[";
                     for (std::size_t i = 0; i < values.size(); ++i) {
                       out += i ? ",{\"stringValue\":" : "{\"stringValue\":";
                       json::append_string(out, values[i]);
                       out += '}';
                     }
                     out += "]}";
                   },
               },
               a.value);
    out += "}}";
  }
  out += ']';
}

std::string encode_json(const OtlpResource& resource, const std::vector<OtlpSpan>& spans) {
  const std::string trace_id = resource.trace_id.hex();
  std::string out = "{\"resourceSpans\":[{\"resource\":{";
  json_attributes(out, resource.attributes);
  out += "},\"scopeSpans\":[{\"scope\":{\"name\":";
  json::append_string(out, kScopeName);
  out += ",\"version\":";
  json::append_string(out, kScopeVersion);
  out += "},\"spans\":[";
  for (std::size_t i = 0; i < spans.size(); ++i) {
    const OtlpSpan& s = spans[i];
    if (i) out += ',';
    out += "{\"traceId\":\"";
    out += trace_id;
    out += "\",\"spanId\":\"";
    out += hex16(s.span_id);
    out += '"';
    if (s.parent_span_id) {
      out += ",\"parentSpanId\":\"";
      out += hex16(*s.parent_span_id);
      out += '"';
    }
    out += ",\"name\":";
    json::append_string(out, s.name);
    out += ",\"kind\":";
    json::append_int(out, kSpanKindInternal);
    out += ",\"startTimeUnixNano\":\"";
    json::append_uint(out, s.start_unix_ns);
    out += "\",\"endTimeUnixNano\":\"";
    json::append_uint(out, s.end_unix_ns);
    out += "\",";
    json_attributes(out, s.attributes);
    if (s.error) {
      out += ",\"status\":{\"code\":";
      json::append_int(out, kStatusError);
      out += ",\"message\":";
      json::append_string(out, *s.error);
      out += '}';
    }
    out += '}';
  }
  out += "]}]}]}";
  return out;
}

std::string encode_logs_json(const OtlpResource& resource, const std::vector<OtlpLogRecord>& records) {
  const std::string trace_id = resource.trace_id.hex();
  std::string out = "{\"resourceLogs\":[{\"resource\":{";
  json_attributes(out, resource.attributes);
  out += "},\"scopeLogs\":[{\"scope\":{\"name\":";
  json::append_string(out, kScopeName);
  out += ",\"version\":";
  json::append_string(out, kScopeVersion);
  out += "},\"logRecords\":[";
  for (std::size_t i = 0; i < records.size(); ++i) {
    const OtlpLogRecord& l = records[i];
    if (i) out += ',';
    out += "{\"timeUnixNano\":\"";
    json::append_uint(out, l.time_unix_ns);
    out += "\",\"observedTimeUnixNano\":\"";
    json::append_uint(out, l.time_unix_ns);
    out += "\",\"severityNumber\":";
    json::append_int(out, l.warn ? kSeverityWarn : kSeverityInfo);
    out += l.warn ? ",\"severityText\":\"WARN\"" : ",\"severityText\":\"INFO\"";
    out += ",\"body\":{\"stringValue\":";
    json::append_string(out, l.body);
    out += "},";
    json_attributes(out, l.attributes);
    out += ",\"traceId\":\"";
    out += trace_id;
    out += '"';
    if (l.span_id) {
      out += ",\"spanId\":\"";
      out += hex16(*l.span_id);
      out += '"';
    }
    out += '}';
  }
  out += "]}]}]}";
  return out;
}

}  // namespace

std::optional<OtlpProtocol> parse_otlp_protocol(std::string_view name) {
  if (name == "http/protobuf") return OtlpProtocol::HttpProtobuf;
  if (name == "http/json") return OtlpProtocol::HttpJson;
  return std::nullopt;
}

std::string_view otlp_content_type(OtlpProtocol protocol) {
  return protocol == OtlpProtocol::HttpProtobuf ? "application/x-protobuf" : "application/json";
}

std::string encode_otlp(OtlpProtocol protocol, const OtlpResource& resource, const std::vector<OtlpSpan>& spans) {
  return protocol == OtlpProtocol::HttpProtobuf ? encode_protobuf(resource, spans) : encode_json(resource, spans);
}

std::string encode_otlp_logs(OtlpProtocol protocol, const OtlpResource& resource,
                             const std::vector<OtlpLogRecord>& records) {
  return protocol == OtlpProtocol::HttpProtobuf ? encode_logs_protobuf(resource, records)
                                                : encode_logs_json(resource, records);
}

}  // namespace proctrace
