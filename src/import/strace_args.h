// Reading values out of strace's argument text: the few places the importer
// needs more than a view (execve's filename and argv, clone flags, setpgid
// pids, -y fd paths). Off the hot path: only lifecycle calls get here, except
// fd_path which is allocation-free.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace proctrace::strace {

// The n-th (0-based) top-level argument, trimmed; empty when absent. Commas
// inside strings, brackets, braces and -y decorations do not split.
std::string_view nth_arg(std::string_view args, std::size_t n);

// Decodes a C string literal as strace prints it ("a\nb\x01\"", octal
// escapes, a trailing ... when cut by -s). Returns nullopt if text is not a
// string literal (NULL, an address). truncated is set when strace cut it.
std::optional<std::string> decode_string(std::string_view text, bool* truncated = nullptr);

// ["a", "b", ...]: the decoded elements; truncated when strace abbreviated
// the array or an element. An element strace cut ("abc"...) ends with
// kCutMark. False if text is not an array of strings.
inline constexpr std::string_view kCutMark = "\u2026";  // …
bool decode_string_array(std::string_view text, std::vector<std::string>& out, bool& truncated);

// The -y decoration of an fd argument: "3</etc/passwd>" -> "/etc/passwd",
// "3</dev/null<char 1:3>>" -> "/dev/null", "5<UNIX-STREAM:[1->2]>" ->
// "UNIX-STREAM:[1->2]". Empty when the argument has none.
std::string_view fd_path(std::string_view arg);

// A number argument: decimal or 0x hex, optionally negative; nullopt for
// anything else (a flag name, NULL).
[[nodiscard]] std::optional<std::int64_t> parse_int(std::string_view text);

}  // namespace proctrace::strace
