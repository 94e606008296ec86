// Checks on what the network exports take from outside (URLs, header lines
// from argv and the environment) and on what they echo back (response
// bodies): only http(s), no control characters on the wire, and messages a
// terminal cannot be steered by.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace proctrace {

// True for http:// and https:// URLs (scheme case-insensitive). Anything
// else (file://, gopher://, a bare host:port) is refused: libcurl would
// otherwise read local files or speak other protocols for us.
[[nodiscard]] bool is_http_url(std::string_view url);
// Throws ExportError naming the URL (made printable) unless is_http_url.
void require_http_url(std::string_view url);

// An HTTP field name is an RFC 9110 token: letters, digits and !#$%&'*+-.^_`|~.
[[nodiscard]] bool is_header_name(std::string_view name);
// A field value may not hold control characters (CR and LF above all: they
// would end the header and start another one); tab is allowed.
[[nodiscard]] bool is_header_value(std::string_view value);
// Checks a "Name: value" line; on failure leaves the reason in `error`
// (naming the field, never echoing the value: it is often a secret).
[[nodiscard]] bool check_header_line(std::string_view line, std::string& error);

// At most `max_bytes` of text for an error message, on one line: control
// characters (C0, DEL, C1) and bytes that are not UTF-8 become \xNN, and a
// cut is marked with the full length.
std::string printable_excerpt(std::string_view text, std::size_t max_bytes = 200);

}  // namespace proctrace
