#include "export/otlp_environment.h"

#include <charconv>
#include <chrono>
#include <cstdlib>

#include "export/http_checks.h"

namespace proctrace {

namespace {

const char* variable(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

std::string_view trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    int hi = -1, lo = -1;
    if (v[i] == '%' && i + 2 < v.size() && (hi = hex_digit(v[i + 1])) >= 0 && (lo = hex_digit(v[i + 2])) >= 0) {
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += v[i];
    }
  }
  return out;
}

// Milliseconds, as the OTel spec gives OTEL_EXPORTER_OTLP_TIMEOUT: a
// positive integer up to an hour.
std::chrono::milliseconds timeout_from(const char* name, const char* text) {
  std::string_view t = text;
  long long ms = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), ms);
  if (ec != std::errc() || end != t.data() + t.size() || ms <= 0 || ms > 3600 * 1000)
    throw ExportError(std::string("$") + name + "=\"" + printable_excerpt(t, 40) +
                      "\": expected milliseconds, 1 to 3600000");
  return std::chrono::milliseconds(ms);
}

}  // namespace

bool parse_otlp_headers(std::string_view spec, std::vector<std::string>& headers, std::string& error) {
  std::string_view rest = spec;
  for (int entry = 1; !rest.empty(); ++entry) {
    const std::size_t comma = rest.find(',');
    const std::string_view pair = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (trim(pair).empty()) continue;  // "a=b," or ",,": nothing there
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) {
      error = "entry " + std::to_string(entry) + " has no '=': expected name=value[,name=value...]";
      return false;
    }
    const std::string name = percent_decode(trim(pair.substr(0, eq)));
    const std::string value = percent_decode(trim(pair.substr(eq + 1)));
    std::string line = name + ": " + value;
    if (!check_header_line(line, error)) return false;
    headers.push_back(std::move(line));
  }
  return true;
}

OtlpOptions otlp_options_from_environment() {
  OtlpOptions options;
  if (const char* traces = variable("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")) {
    options.endpoint = traces;
  } else if (const char* base = variable("OTEL_EXPORTER_OTLP_ENDPOINT")) {
    std::string url = base;
    while (!url.empty() && url.back() == '/') url.pop_back();
    options.endpoint = url + "/v1/traces";
  } else {
    options.endpoint = "http://localhost:4318/v1/traces";
  }
  if (!is_http_url(options.endpoint))
    throw ExportError("the OTLP endpoint from $OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or $OTEL_EXPORTER_OTLP_ENDPOINT, \"" +
                      printable_excerpt(options.endpoint) + "\": only http:// and https:// URLs are accepted");

  const char* header_variable = "OTEL_EXPORTER_OTLP_TRACES_HEADERS";
  const char* spec = variable(header_variable);
  if (!spec) spec = variable(header_variable = "OTEL_EXPORTER_OTLP_HEADERS");
  std::string error;
  if (spec && !parse_otlp_headers(spec, options.headers, error))
    throw ExportError(std::string("$") + header_variable + ": " + error);

  const char* timeout_variable = "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT";
  const char* timeout = variable(timeout_variable);
  if (!timeout) timeout = variable(timeout_variable = "OTEL_EXPORTER_OTLP_TIMEOUT");
  if (timeout) options.http.timeout = timeout_from(timeout_variable, timeout);

  if (const char* name = variable("OTEL_SERVICE_NAME")) options.service_name = name;
  return options;
}

}  // namespace proctrace
