// The OpenTelemetry exporter environment (OTEL_EXPORTER_OTLP_*,
// OTEL_SERVICE_NAME), read in one place and checked like any other input:
// an endpoint must be http(s), header fields must be valid HTTP fields.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "export/otlp_export.h"

namespace proctrace {

// endpoint: $OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is, else
//   $OTEL_EXPORTER_OTLP_ENDPOINT + "/v1/traces", else
//   http://localhost:4318/v1/traces (the OTel spec's rules).
// headers: $OTEL_EXPORTER_OTLP_TRACES_HEADERS, else $OTEL_EXPORTER_OTLP_HEADERS.
// http.timeout: $OTEL_EXPORTER_OTLP_TRACES_TIMEOUT, else
//   $OTEL_EXPORTER_OTLP_TIMEOUT (milliseconds), else HttpLimits' default.
// service_name: $OTEL_SERVICE_NAME.
// Throws ExportError naming the variable that is malformed.
OtlpOptions otlp_options_from_environment();

// "k1=v1,k2=v2" (keys and values %-decoded, spaces around them trimmed) as
// "k1: v1" header lines. A name that is not an HTTP token, a value with a
// control character (raw or %-encoded: %0D%0A would start a header of its
// own), or an entry without '=' is an error, left in `error`.
[[nodiscard]] bool parse_otlp_headers(std::string_view spec, std::vector<std::string>& headers, std::string& error);

}  // namespace proctrace
