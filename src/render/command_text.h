// argv and exit statuses as short, readable one-line text for the views.
// Every view that names a process goes through here so they all agree.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "model/process_tree.h"
#include "model/recording_info.h"

namespace proctrace {

// argv as a shell-style line: arguments with spaces or shell metacharacters in
// single quotes, control characters made visible (\n, \t, \xNN) so the text
// always stays on one line. Nothing is shortened.
std::string quote_argv(const std::vector<std::string>& argv);
std::string quote_argv(const Argv& argv);

struct ShortenLimits {
  std::size_t max_arg = 48;     // characters (code points) per argument
  std::size_t max_total = 90;   // characters for the whole line
};

// quote_argv for labels: argv[0] reduced to its basename, store-path hashes
// (/nix/store/<hash>-name) elided, long arguments cut in the middle, the line
// cut at max_total. Cuts are marked with "…" and never split a UTF-8 character.
std::string short_command(const std::vector<std::string>& argv, const ShortenLimits& limits = {});
std::string short_command(const Argv& argv, const ShortenLimits& limits = {});
std::string short_command(const std::vector<std::string_view>& argv, const ShortenLimits& limits = {});

// Cuts s to at most max_chars code points, the last being "…" when cut.
std::string truncate_text(std::string_view s, std::size_t max_chars);
std::size_t count_chars(std::string_view s);  // UTF-8 code points

// How a process ended, as the views print it.
enum class ProcessOutcome { Success, Failed, Signaled, Exited, Running, Lost };
ProcessOutcome outcome(const Process& p, const Stats* stats);
// "exit 0", "exit 2", "SIGKILL", "SIGSEGV (core)", "exited" (status not
// recorded), "running" (alive when recording stopped), "no exit seen".
std::string outcome_text(const Process& p, const Stats* stats);

// "new session 41", "new process group 42" when the process called setsid or
// setpgid during the recording; "" otherwise.
std::string group_change_text(const Process& p);

// "1.23 s", "45.6 ms", "789 µs", "12 ns".
std::string format_duration(Nanos ns);

// "812 KiB", "200 MiB", "1.5 GiB".
std::string format_kib(std::uint64_t kib);

// "cpu 1.20 s, peak 200 MiB": what the recorder measured of the process;
// "" when nothing was (strace imports, older recordings).
std::string usage_text(const Process& p);

}  // namespace proctrace
