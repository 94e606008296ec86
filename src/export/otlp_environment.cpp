#include "export/otlp_environment.h"

#include <algorithm>
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

// 16 or 32 lowercase hex digits as a number; W3C trace context allows no
// uppercase ("vendors MUST ignore" an id with it).
bool lower_hex(std::string_view digits, std::uint64_t& out) {
  out = 0;
  for (char c : digits) {
    int d = c >= 'a' && c <= 'f' ? hex_digit(c) : c >= '0' && c <= '9' ? c - '0' : -1;
    if (d < 0) return false;
    out = out << 4 | static_cast<std::uint64_t>(d);
  }
  return true;
}

// W3C baggage-octet: printable ASCII but for space, '"', ',', ';' and '\\'.
bool baggage_octet(char c) {
  return c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\';
}

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

}  // namespace

bool parse_traceparent(std::string_view t, TraceParent& out, std::string& error) {
  constexpr std::size_t kVersion00Size = 55;  // 2 + 1 + 32 + 1 + 16 + 1 + 2
  std::uint64_t version = 0, hi = 0, lo = 0, span = 0, flags = 0;
  if (t.size() < 2 || !lower_hex(t.substr(0, 2), version)) {
    error = "expected a version of two lowercase hex digits";
    return false;
  }
  if (version == 0xff) {
    error = "version ff is invalid";
    return false;
  }
  // Version 00 has exactly four fields; a later one may add fields after
  // a '-', and its first four are read as 00's.
  if (version == 0 ? t.size() != kVersion00Size
                   : t.size() < kVersion00Size || (t.size() > kVersion00Size && t[kVersion00Size] != '-')) {
    error = "expected VERSION-TRACEID-PARENTID-FLAGS (2, 32, 16 and 2 lowercase hex digits)";
    return false;
  }
  if (t[2] != '-' || t[35] != '-' || t[52] != '-' || !lower_hex(t.substr(3, 16), hi) ||
      !lower_hex(t.substr(19, 16), lo) || !lower_hex(t.substr(36, 16), span) || !lower_hex(t.substr(53, 2), flags)) {
    error = "expected VERSION-TRACEID-PARENTID-FLAGS (2, 32, 16 and 2 lowercase hex digits)";
    return false;
  }
  if (hi == 0 && lo == 0) {
    error = "the trace id is all zeros (invalid)";
    return false;
  }
  if (span == 0) {
    error = "the parent id is all zeros (invalid)";
    return false;
  }
  out.trace_id = ContentHash{hi, lo};
  out.span_id = span;
  return true;
}

bool parse_resource_attributes(std::string_view spec, std::vector<std::pair<std::string, std::string>>& out,
                               std::string& error) {
  std::vector<std::pair<std::string, std::string>> attributes;
  std::string_view rest = spec;
  for (int entry = 1; !rest.empty(); ++entry) {
    const std::size_t comma = rest.find(',');
    const std::string_view pair = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (trim(pair).empty()) continue;
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) {
      error = "entry " + std::to_string(entry) + " has no '=': expected key=value[,key=value...]";
      return false;
    }
    const std::string_view key = trim(pair.substr(0, eq));
    const std::string_view raw = trim(pair.substr(eq + 1));
    if (!is_header_name(key)) {  // a baggage key is an HTTP token
      error = "entry " + std::to_string(entry) + ": the key \"" + printable_excerpt(key, 40) +
              "\" is empty or holds a character other than letters, digits and !#$%&'*+-.^_`|~";
      return false;
    }
    std::string value;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '%') {
        const int hi = i + 2 < raw.size() ? hex_digit(raw[i + 1]) : -1;
        const int lo = hi >= 0 ? hex_digit(raw[i + 2]) : -1;
        if (lo < 0) {
          error = "the value of \"" + std::string(key) + "\": '%' must start a %XX escape";
          return false;
        }
        value += static_cast<char>(hi * 16 + lo);
        i += 2;
      } else if (baggage_octet(raw[i])) {
        value += raw[i];
      } else {
        error = "the value of \"" + std::string(key) +
                "\" holds a space, quote, ';', backslash or non-ASCII byte: write it %-encoded";
        return false;
      }
    }
    if (has_control(value)) {
      error = "the value of \"" + std::string(key) + "\" holds a control character";
      return false;
    }
    auto same = std::find_if(attributes.begin(), attributes.end(), [&](const auto& kv) { return kv.first == key; });
    if (same != attributes.end())
      same->second = std::move(value);
    else
      attributes.emplace_back(std::string(key), std::move(value));
  }
  out = std::move(attributes);
  return true;
}

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

namespace {

// A base URL with a signal's path: "http://c:4318/" + "/v1/logs".
std::string with_path(std::string url, std::string_view path) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url + std::string(path);
}

// One signal's URL by the OTel spec's rules: its own variable as is, else
// $OTEL_EXPORTER_OTLP_ENDPOINT + path, else localhost:4318 + path. Throws
// for a URL that is not http(s).
std::string signal_endpoint(const char* own_variable, std::string_view path) {
  std::string url;
  if (const char* own = variable(own_variable)) url = own;
  else if (const char* base = variable("OTEL_EXPORTER_OTLP_ENDPOINT")) url = with_path(base, path);
  else url = with_path("http://localhost:4318", path);
  if (!is_http_url(url))
    throw ExportError(std::string("the OTLP endpoint from $") + own_variable + " or $OTEL_EXPORTER_OTLP_ENDPOINT, \"" +
                      printable_excerpt(url) + "\": only http:// and https:// URLs are accepted");
  return url;
}

}  // namespace

std::string logs_endpoint_for(const std::string& traces_url) {
  if (const char* logs = variable("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT")) return logs;
  constexpr std::string_view kTraces = "/v1/traces";
  std::string url = traces_url;
  if (url.ends_with(kTraces)) url.resize(url.size() - kTraces.size());
  return with_path(url, "/v1/logs");
}

OtlpOptions otlp_options_from_environment(std::vector<std::string>& ignored) {
  OtlpOptions options;
  options.endpoint = signal_endpoint("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "/v1/traces");
  options.logs_endpoint = signal_endpoint("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "/v1/logs");

  const char* header_variable = "OTEL_EXPORTER_OTLP_TRACES_HEADERS";
  const char* spec = variable(header_variable);
  if (!spec) spec = variable(header_variable = "OTEL_EXPORTER_OTLP_HEADERS");
  std::string error;
  if (spec && !parse_otlp_headers(spec, options.headers, error))
    throw ExportError(std::string("$") + header_variable + ": " + error);

  const char* protocol_variable = "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL";
  const char* protocol = variable(protocol_variable);
  if (!protocol) protocol = variable(protocol_variable = "OTEL_EXPORTER_OTLP_PROTOCOL");
  if (protocol) {
    auto parsed = parse_otlp_protocol(protocol);
    if (!parsed)
      throw ExportError(std::string("$") + protocol_variable + "=\"" + printable_excerpt(protocol, 40) +
                        "\": expected http/protobuf or http/json (grpc is not supported)");
    options.protocol = *parsed;
  }

  const char* timeout_variable = "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT";
  const char* timeout = variable(timeout_variable);
  if (!timeout) timeout = variable(timeout_variable = "OTEL_EXPORTER_OTLP_TIMEOUT");
  if (timeout) options.http.timeout = timeout_from(timeout_variable, timeout);

  // Both are discarded whole when malformed, as the OTel and W3C specs ask:
  // the spans still go out, as a trace of their own, with what was known.
  if (const char* attributes = variable("OTEL_RESOURCE_ATTRIBUTES")) {
    if (!parse_resource_attributes(attributes, options.resource_attributes, error))
      ignored.push_back("$OTEL_RESOURCE_ATTRIBUTES ignored: " + error);
  }
  for (const auto& [key, value] : options.resource_attributes)
    if (key == "service.name" && !value.empty()) options.service_name = value;
  if (const char* name = variable("OTEL_SERVICE_NAME")) options.service_name = name;

  if (const char* context = variable("TRACEPARENT")) {
    TraceParent parent;
    if (parse_traceparent(context, parent, error))
      options.parent = parent;
    else
      ignored.push_back("$TRACEPARENT=\"" + printable_excerpt(context, 80) + "\" ignored (" + error +
                        "): the spans form a trace of their own");
  }
  return options;
}

}  // namespace proctrace
