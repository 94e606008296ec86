#include "render/mermaid_url.h"

#include <zlib.h>

#include "io/json_text.h"

namespace proctrace {

std::string mermaid_live_state(std::string_view chart) {
  std::string state = "{\"code\":";
  json::append_string(state, chart);
  // The config is itself JSON inside a string, indented as the editor
  // writes it, so that the editor's config tab shows it the same way.
  state += ",\"mermaid\":";
  json::append_string(state, "{\n  \"theme\": \"default\"\n}");
  state += ",\"autoSync\":true,\"updateDiagram\":true}";
  return state;
}

namespace {

// RFC 4648 section 5 (URL and filename safe), without '=' padding, as the
// editor's decoder accepts.
void append_base64url(std::string& out, const unsigned char* data, std::size_t size) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::size_t i = 0;
  for (; i + 3 <= size; i += 3) {
    std::uint32_t v = (std::uint32_t{data[i]} << 16) | (std::uint32_t{data[i + 1]} << 8) | data[i + 2];
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (size - i == 1) {
    std::uint32_t v = std::uint32_t{data[i]} << 16;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
  } else if (size - i == 2) {
    std::uint32_t v = (std::uint32_t{data[i]} << 16) | (std::uint32_t{data[i + 1]} << 8);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
}

}  // namespace

std::string mermaid_live_url(std::string_view chart) {
  const std::string state = mermaid_live_state(chart);
  // The zlib format (header + deflate + Adler-32), which the editor's
  // inflate expects; level 9 as the editor itself compresses.
  uLongf size = compressBound(static_cast<uLong>(state.size()));
  std::string packed(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(packed.data()), &size, reinterpret_cast<const Bytef*>(state.data()),
                static_cast<uLong>(state.size()), Z_BEST_COMPRESSION) != Z_OK)
    return {};
  std::string url(kMermaidLivePrefix);
  url.reserve(url.size() + (size + 2) / 3 * 4);
  append_base64url(url, reinterpret_cast<const unsigned char*>(packed.data()), size);
  return url;
}

}  // namespace proctrace
