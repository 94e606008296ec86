#include "render/command_text.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>  // sigabbrev_np

#include "io/terminal_text.h"

namespace proctrace {

namespace {

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Characters a shell would read literally outside quotes, ASCII ones only.
constexpr std::array<bool, 256> kShellSafeAscii = [] {
  std::array<bool, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (char c : std::string_view("_-+=.,/:@%^")) t[static_cast<unsigned char>(c)] = true;
  return t;
}();

// Characters a shell would read literally outside quotes.
bool shell_safe(char c) {
  return kShellSafeAscii[static_cast<unsigned char>(c)] || static_cast<unsigned char>(c) >= 0x80;
}

// An argument every step of shortening leaves as it is: short enough to be
// neither cut nor hold a store hash (32 characters and a '-'), and only
// printable ASCII a shell reads literally (no quoting, nothing escaped).
// Most arguments of a build are; labels of a million processes skip the
// copies the general path makes.
bool kept_as_is(std::string_view arg, std::size_t max_chars) {
  if (arg.empty() || arg.size() > max_chars || arg.size() > 32) return false;
  for (char c : arg)
    if (!kShellSafeAscii[static_cast<unsigned char>(c)]) return false;
  return true;
}

void append_quoted(std::string& out, std::string_view arg) {
  // Control characters (tab too: the line stays one line), C1 and bytes
  // that are not UTF-8 are shown escaped, never sent to the terminal.
  bool plain = !arg.empty() && std::all_of(arg.begin(), arg.end(), shell_safe);
  if (plain) {
    append_terminal_safe(out, arg, /*keep_tab=*/false);
    return;
  }
  out += '\'';
  for (std::size_t start = 0;;) {
    std::size_t quote = arg.find('\'', start);
    append_terminal_safe(out, arg.substr(start, quote - start), /*keep_tab=*/false);
    if (quote == std::string_view::npos) break;
    out += "'\\''";
    start = quote + 1;
  }
  out += '\'';
}

// Byte offset just past the first n code points of s.
std::size_t prefix_bytes(std::string_view s, std::size_t n) {
  std::size_t i = 0;
  while (i < s.size() && n > 0) {
    ++i;
    while (i < s.size() && is_continuation(s[i])) ++i;
    --n;
  }
  return i;
}

// Byte offset where the last n code points of s begin.
std::size_t suffix_start(std::string_view s, std::size_t n) {
  std::size_t i = s.size();
  while (i > 0 && n > 0) {
    --i;
    while (i > 0 && is_continuation(s[i])) --i;
    --n;
  }
  return i;
}

// Nix and Guix store paths carry a 32-character hash that says nothing to a
// reader: /nix/store/<hash>-gcc-13/bin/gcc -> /nix/store/…-gcc-13/bin/gcc.
std::string elide_store_hashes(std::string_view arg) {
  std::string out;
  std::size_t i = 0;
  while (i < arg.size()) {
    bool segment_start = i == 0 || arg[i - 1] == '/';
    if (segment_start) {
      std::size_t j = i;
      while (j < arg.size() && ((arg[j] >= '0' && arg[j] <= '9') || (arg[j] >= 'a' && arg[j] <= 'z'))) ++j;
      if (j - i >= 32 && j < arg.size() && arg[j] == '-') {
        out += "…";
        i = j;
        continue;
      }
    }
    out += arg[i++];
  }
  return out;
}

// A long argument keeps its informative end: the file name of a path, or
// both ends of anything else.
std::string shorten_arg(std::string_view arg, std::size_t max_chars) {
  std::string s = elide_store_hashes(arg);
  std::size_t n = count_chars(s);
  if (n <= max_chars || max_chars < 5) return s;
  std::size_t slash = s.rfind('/', s.size() > 1 ? s.size() - 2 : 0);
  if (slash != std::string::npos && slash > 0) {
    std::string tail = s.substr(slash);  // "/name"
    if (count_chars(tail) + 1 <= max_chars) {
      // Keep as many leading characters as fit, then "…/name".
      std::size_t head = max_chars - 1 - count_chars(tail);
      return s.substr(0, prefix_bytes(s, head)) + "…" + tail;
    }
  }
  std::size_t keep = max_chars - 1;
  std::size_t head = (keep + 1) / 2;
  std::size_t tail = keep - head;
  return s.substr(0, prefix_bytes(s, head)) + "…" + s.substr(suffix_start(s, tail));
}

std::string_view basename(std::string_view path) {
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  auto slash = path.rfind('/');
  return slash == std::string_view::npos || slash + 1 == path.size() ? path : path.substr(slash + 1);
}

}  // namespace

std::size_t count_chars(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += !is_continuation(c);
  return n;
}

std::string truncate_text(std::string_view s, std::size_t max_chars) {
  if (count_chars(s) <= max_chars) return std::string(s);
  if (max_chars == 0) return {};
  return std::string(s.substr(0, prefix_bytes(s, max_chars - 1))) + "…";
}

namespace {

// Both argv shapes (the model's Argv, a std::vector from a stream) print alike.
template <class Args>
std::string quote_args(const Args& argv) {
  std::string out;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    if (i) out += ' ';
    append_quoted(out, argv[i]);
  }
  return out;
}

template <class Args>
std::string short_args(const Args& argv, const ShortenLimits& limits) {
  std::string out;
  std::size_t chars = 0;  // count_chars(out), kept up as it grows
  for (std::size_t i = 0; i < argv.size(); ++i) {
    if (i) {
      out += ' ';
      ++chars;
    }
    std::string_view arg = i == 0 ? basename(argv[0]) : std::string_view(argv[i]);
    if (kept_as_is(arg, limits.max_arg)) {
      out += arg;
      chars += arg.size();
    } else {
      std::size_t before = out.size();
      append_quoted(out, shorten_arg(arg, limits.max_arg));
      chars += count_chars(std::string_view(out).substr(before));
    }
    if (chars > limits.max_total) break;  // the rest would be cut anyway
  }
  if (chars <= limits.max_total) return out;
  return truncate_text(out, limits.max_total);
}

}  // namespace

std::string quote_argv(const std::vector<std::string>& argv) { return quote_args(argv); }
std::string quote_argv(const Argv& argv) { return quote_args(argv); }

std::string short_command(const std::vector<std::string>& argv, const ShortenLimits& limits) {
  return short_args(argv, limits);
}
std::string short_command(const Argv& argv, const ShortenLimits& limits) { return short_args(argv, limits); }
std::string short_command(const std::vector<std::string_view>& argv, const ShortenLimits& limits) {
  return short_args(argv, limits);
}

ProcessOutcome outcome(const Process& p, const Stats* stats) {
  if (p.exited()) {
    if (p.exit.signal) return ProcessOutcome::Signaled;
    if (p.exit.code) return *p.exit.code == 0 ? ProcessOutcome::Success : ProcessOutcome::Failed;
    return ProcessOutcome::Exited;
  }
  if (stats && std::find(stats->alive_at_end.begin(), stats->alive_at_end.end(), p.pid) == stats->alive_at_end.end())
    return ProcessOutcome::Lost;
  return ProcessOutcome::Running;
}

std::string outcome_text(const Process& p, const Stats* stats) {
  switch (outcome(p, stats)) {
    case ProcessOutcome::Success:
    case ProcessOutcome::Failed:
      return "exit " + std::to_string(*p.exit.code);
    case ProcessOutcome::Signaled: {
      const char* name = sigabbrev_np(*p.exit.signal);
      std::string text = name ? std::string("SIG") + name : "signal " + std::to_string(*p.exit.signal);
      return p.exit.core_dumped ? text + " (core)" : text;
    }
    case ProcessOutcome::Exited: return "exited";
    case ProcessOutcome::Running: return "running";
    case ProcessOutcome::Lost: return "no exit seen";
  }
  return {};
}

std::string group_change_text(const Process& p) {
  if (p.set_session) return "new session " + std::to_string(p.sid());
  if (p.set_group) return "new process group " + std::to_string(p.pgid());
  return {};
}

std::string format_kib(std::uint64_t kib) {
  char text[32];
  if (kib >= (std::uint64_t{1} << 20))
    std::snprintf(text, sizeof text, "%.1f GiB", static_cast<double>(kib) / (1 << 20));
  else if (kib >= 1024)
    std::snprintf(text, sizeof text, "%llu MiB", static_cast<unsigned long long>((kib + 512) / 1024));
  else
    std::snprintf(text, sizeof text, "%llu KiB", static_cast<unsigned long long>(kib));
  return text;
}

std::string usage_text(const Process& p) {
  if (!p.usage) return {};
  std::string text;
  if (auto cpu = p.usage->cpu_ns()) text = "cpu " + format_duration(*cpu);
  if (auto peak = p.usage->max_rss_kb) text += (text.empty() ? "peak " : ", peak ") + format_kib(*peak);
  return text;
}

std::string format_duration(Nanos ns) {
  char buf[32];
  double v = static_cast<double>(ns);
  if (ns >= 1'000'000'000) std::snprintf(buf, sizeof buf, "%.2f s", v / 1e9);
  else if (ns >= 1'000'000) std::snprintf(buf, sizeof buf, "%.1f ms", v / 1e6);
  else if (ns >= 1'000) std::snprintf(buf, sizeof buf, "%.0f µs", v / 1e3);
  else std::snprintf(buf, sizeof buf, "%llu ns", static_cast<unsigned long long>(ns));
  return buf;
}

}  // namespace proctrace
