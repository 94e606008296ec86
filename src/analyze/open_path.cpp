#include "analyze/open_path.h"

namespace proctrace {

namespace {

// Skips a string literal starting at s[i] == '"'; returns the index after its
// closing quote, or npos when it does not close.
std::size_t skip_literal(std::string_view s, std::size_t i) {
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\') ++i;
    else if (s[i] == '"') return i + 1;
  }
  return std::string_view::npos;
}

}  // namespace

OpenCall open_call(std::string_view syscall) {
  if (syscall == "open" || syscall == "creat") return OpenCall::Path;
  if (syscall == "openat" || syscall == "openat2") return OpenCall::DirfdPath;
  return OpenCall::None;
}

std::optional<OpenArgs> parse_open_args(OpenCall call, std::string_view args) {
  OpenArgs out;
  std::size_t i = 0;
  if (call == OpenCall::None) return std::nullopt;
  if (call == OpenCall::DirfdPath) {
    // "AT_FDCWD</cwd>, " or "3</dir>, " or "AT_FDCWD, ". strace escapes '<'
    // and '>' inside the decoration, so the first '>' closes it.
    while (i < args.size() && args[i] != ',' && args[i] != '<') ++i;
    if (i < args.size() && args[i] == '<') {
      std::size_t close = args.find('>', i + 1);
      if (close == std::string_view::npos) return std::nullopt;
      out.dir = args.substr(i + 1, close - i - 1);
      i = close + 1;
    }
    if (i >= args.size() || args[i] != ',') return std::nullopt;
    ++i;
    while (i < args.size() && args[i] == ' ') ++i;
  }
  if (i >= args.size() || args[i] != '"') return std::nullopt;
  std::size_t end = skip_literal(args, i);
  if (end == std::string_view::npos) return std::nullopt;
  out.path = args.substr(i + 1, end - i - 2);
  out.truncated = args.substr(end).starts_with("...");
  return out;
}

void resolve_path(std::string& out, std::string_view dir, std::string_view path) {
  out.clear();
  bool absolute = !path.empty() && path.front() == '/';
  if (!absolute && !dir.empty() && dir.front() == '/') {
    absolute = true;
    resolve_path(out, {}, dir);
    if (out == "/") out.clear();  // components are appended as "/name"
  }
  // Relative paths keep leading ".." they cannot take back.
  std::size_t fixed = 0;  // out[0, fixed) are leading "../" of a relative path
  std::size_t i = 0;
  while (i <= path.size()) {
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view part = path.substr(i, j - i);
    i = j + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (out.size() > fixed) {
        std::size_t cut = out.rfind('/');
        out.resize(cut == std::string::npos || cut < fixed ? fixed : cut);
        continue;
      }
      if (absolute) continue;  // "/.." is "/"
      if (!out.empty()) out += '/';
      out += "..";
      fixed = out.size();
      continue;
    }
    if (absolute || !out.empty()) out += '/';
    out += part;
  }
  if (absolute && out.empty()) out = "/";
  if (!absolute && out.empty()) out = ".";
}

std::string_view parent_directory(std::string_view path) {
  if (path.empty() || path == "/" || path == ".") return {};
  std::size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace proctrace
