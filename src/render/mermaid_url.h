// `render -d mermaid --url`: a link that opens a chart in the Mermaid live
// editor. The editor keeps its whole state in the URL fragment as
// "pako:" + base64url(zlib deflate(UTF-8 JSON)), the JSON holding the chart
// ("code"), the Mermaid config as a JSON string ("mermaid") and two editor
// switches; nothing is sent to a server until someone opens the link.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace proctrace {

// Chromium refuses to open URLs longer than 2 MiB (its kMaxURLChars), and
// other browsers cut far earlier; a longer link is not made at all.
inline constexpr std::size_t kMermaidUrlMaxChars = 2u * 1024 * 1024;
// Chat tools, issue trackers and some proxies cut or refuse links long
// before that; beyond 32 KiB the link works only pasted into a browser.
inline constexpr std::size_t kMermaidUrlShareableChars = 32u * 1024;

inline constexpr std::string_view kMermaidLivePrefix = "https://mermaid.live/edit#pako:";

// The editor's state for this chart, as JSON.
std::string mermaid_live_state(std::string_view chart);

// The link, or "" when zlib fails (out of memory).
std::string mermaid_live_url(std::string_view chart);

}  // namespace proctrace
