// The OpenTelemetry exporter environment (OTEL_EXPORTER_OTLP_*,
// OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, TRACEPARENT), read in one
// place and checked like any other input: an endpoint must be http(s),
// header fields must be valid HTTP fields, a trace context must be one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "export/otlp_export.h"

namespace proctrace {

// endpoint: $OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is, else
//   $OTEL_EXPORTER_OTLP_ENDPOINT + "/v1/traces", else
//   http://localhost:4318/v1/traces (the OTel spec's rules).
// logs_endpoint (for --logs): $OTEL_EXPORTER_OTLP_LOGS_ENDPOINT as is, else
//   the same rules with "/v1/logs".
// headers: $OTEL_EXPORTER_OTLP_TRACES_HEADERS, else $OTEL_EXPORTER_OTLP_HEADERS.
// http.timeout: $OTEL_EXPORTER_OTLP_TRACES_TIMEOUT, else
//   $OTEL_EXPORTER_OTLP_TIMEOUT (milliseconds), else HttpLimits' default.
// protocol: $OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, else
//   $OTEL_EXPORTER_OTLP_PROTOCOL, else http/protobuf (the spec's default).
// service_name: $OTEL_SERVICE_NAME, else service.name of
//   $OTEL_RESOURCE_ATTRIBUTES, else "proctrace".
// resource_attributes: $OTEL_RESOURCE_ATTRIBUTES.
// parent: $TRACEPARENT.
// Throws ExportError naming the variable that is malformed. A malformed
// $OTEL_RESOURCE_ATTRIBUTES or $TRACEPARENT is not fatal (the specs say to
// discard it and carry on): it is left out, with why in `ignored`.
OtlpOptions otlp_options_from_environment(std::vector<std::string>& ignored);

// An --otlp-endpoint URL of the traces is where the logs go too, with its
// "/v1/traces" made "/v1/logs" (or "/v1/logs" added), unless
// $OTEL_EXPORTER_OTLP_LOGS_ENDPOINT names another place.
std::string logs_endpoint_for(const std::string& traces_url);

// A W3C trace-context `traceparent`: "VV-TRACEID-PARENTID-FF", lowercase
// hex only. Version 00 is exactly 55 characters; a later version may carry
// more after a '-' (kept for compatibility, as the spec asks), version ff
// is invalid. An all-zero trace id or parent id is invalid.
[[nodiscard]] bool parse_traceparent(std::string_view text, TraceParent& out, std::string& error);

// "k1=v1,k2=v2" as the OTel spec gives OTEL_RESOURCE_ATTRIBUTES (W3C
// baggage without properties): keys are tokens, values baggage octets or
// %XX escapes, spaces around either trimmed; a later key replaces an
// earlier one. An error (an entry without '=', a raw space, quote, ';' or
// backslash in a value, a bad escape, a control character once decoded) fails
// the whole list, with the reason in `error`.
[[nodiscard]] bool parse_resource_attributes(std::string_view spec,
                                             std::vector<std::pair<std::string, std::string>>& out,
                                             std::string& error);

// "k1=v1,k2=v2" (keys and values %-decoded, spaces around them trimmed) as
// "k1: v1" header lines. A name that is not an HTTP token, a value with a
// control character (raw or %-encoded: %0D%0A would start a header of its
// own), or an entry without '=' is an error, left in `error`.
[[nodiscard]] bool parse_otlp_headers(std::string_view spec, std::vector<std::string>& headers, std::string& error);

}  // namespace proctrace
