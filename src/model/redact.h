// Masks secrets in command lines before they leave the machine (summary.md,
// --report-dir): recordings hold every argv, and CI jobs pass tokens and
// passwords on command lines. A value that looks secret becomes "***"; the
// rest of the word stays, so the command still reads as what it was.
//
// Shapes recognised, in each argv word:
//   --password=X  --token X  --api-key=X ...  an option whose name holds
//       PASS, PASSWD, PASSWORD, TOKEN, SECRET, API(-/_)KEY, AUTH, CREDENTIAL
//       or PRIVATE(-/_)KEY: its attached or following value
//   -pX           of mysql-like clients (mysql, mysqldump, mariadb, ...);
//                 -p X of sshpass
//   NAME=value    where NAME is such a name, or ends in _KEY (env, docker -e)
//   scheme://user:password@host
//   Authorization: Bearer X   and other secret-named headers (curl -H)
//   known token formats anywhere: GitHub (ghp_, gho_, ghu_, ghs_, ghr_,
//       github_pat_), GitLab (glpat-), AWS access key ids (AKIA, ASIA),
//       Slack (xoxb- ...), npm (npm_), JSON web tokens (eyJ...)
// Random-looking words (hashes, UUIDs) are not masked: they are rarely
// secret and often what a reader looks for. Masking is best effort: the
// README says plainly that recordings contain command lines.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace proctrace {

inline constexpr std::string_view kRedacted = "***";

// Masks secrets in argv in place; returns whether anything changed.
bool redact_argv(std::vector<std::string>& argv);

// Masks the shapes that need no neighbouring word (NAME=value, URLs,
// headers, token formats, --password=X) in one piece of text.
bool redact_word(std::string& word);

}  // namespace proctrace
