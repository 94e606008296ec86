// Command lines users bring from the tools proctrace replaces, rewritten into
// proctrace's own grammar before CLI11 sees them:
//   strace-parser  `proctrace trace.txt summary`   (input before the command)
//                  `proctrace trace.txt s`         (a unique prefix of a command)
//                  `proctrace trace.txt list_pids` (its old spelling)
//                  `... -p 8865 8866`              (several pids after one -p)
//   every tool     `proctrace help [COMMAND]`
// The rewrite is pure string work: it never opens a file, only asks whether a
// word names an existing one (so `proctrace 42 pid` stays a pid, not a path).
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace proctrace::cli {

struct LegacyRewrite {
  std::vector<std::string> args;  // argv without argv[0], in proctrace's grammar
  std::string error;              // non-empty: a usage error to report (exit 2)
};

// commands: every subcommand name; pid_commands: those whose -p/--pid takes
// several values. exists: whether a word names an existing file.
LegacyRewrite rewrite_legacy_command_line(std::vector<std::string> args, const std::vector<std::string>& commands,
                                          const std::vector<std::string>& pid_commands,
                                          const std::function<bool(const std::string&)>& exists);

}  // namespace proctrace::cli
