#include "tools/legacy_command_line.h"

#include <algorithm>

namespace proctrace::cli {

namespace {

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// strace-parser's own commands. Its users' abbreviations were unique among
// these nine (`s` is summary there), so a prefix is tried on them first and
// keeps its meaning; proctrace's other commands take a longer prefix.
const std::vector<std::string> kStraceParserCommands = {"summary", "list-pids",   "pid", "exec",    "files",
                                                        "directories", "io",    "quantize", "tree"};

std::vector<std::string> prefix_matches(const std::string& word, const std::vector<std::string>& commands) {
  std::vector<std::string> matches;
  for (const std::string& c : commands)
    if (c.compare(0, word.size(), word) == 0) matches.push_back(c);
  return matches;
}

// The command a word names: itself, an old spelling, or the one command it is
// a prefix of. Several matches are an error naming them all (as strace-parser's
// clap does with InferSubcommands).
struct Resolved {
  std::string name;  // empty: not a command
  std::string error;
};

Resolved resolve_command(const std::string& word, const std::vector<std::string>& commands) {
  if (word.empty() || word[0] == '-') return {};
  if (contains(commands, word)) return {word, ""};
  if (word == "list_pids" && contains(commands, "list-pids")) return {"list-pids", ""};
  std::vector<std::string> matches = prefix_matches(word, kStraceParserCommands);
  if (matches.size() != 1 || !contains(commands, matches[0])) matches = prefix_matches(word, commands);
  if (matches.size() == 1) return {matches[0], ""};
  if (matches.empty()) return {};
  std::string list;
  for (const std::string& m : matches) list += (list.empty() ? "" : ", ") + m;
  return {"", "'" + word + "' is ambiguous: it could be " + list};
}

// `-p 8865 8866` -> `-p 8865,8866`: strace-parser's -p takes several values.
// Only digit words that are not files join, so `-p 12 trace.txt` keeps its input.
void join_pid_values(std::vector<std::string>& args, std::size_t from,
                     const std::function<bool(const std::string&)>& exists) {
  for (std::size_t i = from; i + 1 < args.size(); ++i) {
    if (args[i] == "--") return;
    if (args[i] != "-p" && args[i] != "--pid") continue;
    std::size_t j = i + 2;
    while (j < args.size() && all_digits(args[j]) && !exists(args[j])) {
      args[i + 1] += "," + args[j];
      args.erase(args.begin() + static_cast<std::ptrdiff_t>(j));
    }
  }
}

}  // namespace

LegacyRewrite rewrite_legacy_command_line(std::vector<std::string> args, const std::vector<std::string>& commands,
                                          const std::vector<std::string>& pid_commands,
                                          const std::function<bool(const std::string&)>& exists) {
  if (args.empty()) return {args, ""};
  if (args[0] == "help") {
    if (args.size() == 1) return {{"--help"}, ""};
    Resolved r = resolve_command(args[1], commands);
    if (!r.error.empty()) return {{}, r.error};
    if (r.name.empty()) return {{}, "help: no command named '" + args[1] + "'"};
    return {{r.name, "--help"}, ""};
  }

  // The command is the first word, or (strace-parser's order) the second
  // after an input that is not itself a command.
  std::size_t at = 0;
  Resolved first = resolve_command(args[0], commands);
  bool first_is_exact = first.name == args[0];
  if (!first_is_exact && args.size() >= 2 && (args[0] == "-" || exists(args[0]))) {
    Resolved second = resolve_command(args[1], commands);
    if (!second.error.empty()) return {{}, second.error};
    if (!second.name.empty()) {
      // INPUT CMD REST... -> CMD REST... -i INPUT (-i: every reading command
      // has it, and it cannot be taken for a pid or a syscall name).
      std::string input = args[0];
      args.erase(args.begin());
      args[0] = second.name;
      auto dashdash = std::find(args.begin(), args.end(), "--");
      dashdash = args.insert(dashdash, "-i");
      args.insert(dashdash + 1, input);
      first = second;
    }
  }
  if (!first.error.empty()) return {{}, first.error};
  if (!first.name.empty()) args[at] = first.name;
  if (contains(pid_commands, args[at])) join_pid_values(args, at + 1, exists);
  return {args, ""};
}

}  // namespace proctrace::cli
