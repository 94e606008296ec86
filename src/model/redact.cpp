#include "model/redact.h"

#include <algorithm>
#include <array>

namespace proctrace {

namespace {

constexpr char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr bool is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// Whether an option, variable or header name says its value is secret.
// Compared lowercased without '-' and '_', so --api-key, API_KEY and
// X-Api-Key are one name.
bool secret_name(std::string_view name) {
  std::string n;
  for (char c : name)
    if (c != '-' && c != '_') n += lower(c);
  if (n.empty()) return false;
  for (std::string_view w : {"password", "passwd", "token", "secret", "apikey", "credential", "privatekey",
                             "accesskey", "cookie"})
    if (n.find(w) != std::string::npos) return true;
  // "auth" but not "author"; "pass" only as the end (--db-pass, not --passthrough).
  for (std::size_t at = n.find("auth"); at != std::string::npos; at = n.find("auth", at + 1))
    if (n.compare(at, 6, "author") != 0) return true;
  return ends_with(n, "pass") || ends_with(n, "pwd");
}

bool is_identifier(std::string_view s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return is_alnum(c) || c == '_'; });
}

// Masks word from `at` to its end, after an opening quote (--token="x" in
// a script); false when it is masked already.
bool mask_value(std::string& word, std::size_t at) {
  if (at < word.size() && (word[at] == '"' || word[at] == '\'')) ++at;
  if (std::string_view(word).substr(at) == kRedacted) return false;
  word.replace(at, std::string::npos, kRedacted);
  return true;
}

// NAME=value (env, docker -e, make VAR=...) with a secret NAME, or one
// ending in _KEY (SSH_KEY, DEPLOY_KEY).
bool redact_assignment(std::string& word) {
  std::size_t eq = word.find('=');
  if (eq == std::string::npos || eq + 1 == word.size()) return false;
  std::string_view name(word.data(), eq);
  if (!is_identifier(name)) return false;
  std::string upper;
  for (char c : name) upper += c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  if (!secret_name(name) && !ends_with(upper, "_KEY") && upper != "KEY") return false;
  return mask_value(word, eq + 1);
}

// --password=X, -Dpassword=X
bool redact_option_value(std::string& word) {
  if (word.size() < 2 || word[0] != '-') return false;
  std::size_t eq = word.find('=');
  if (eq == std::string::npos || eq + 1 == word.size()) return false;
  std::string_view name = std::string_view(word).substr(0, eq);
  name.remove_prefix(std::min(name.find_first_not_of('-'), name.size()));
  if (!secret_name(name)) return false;
  return mask_value(word, eq + 1);
}

// scheme://user:password@host -> scheme://user:***@host
bool redact_url_passwords(std::string& word) {
  bool changed = false;
  for (std::size_t at = word.find("://"); at != std::string::npos; at = word.find("://", at + 3)) {
    std::size_t start = at + 3;
    std::size_t end = word.find_first_of("/?# ", start);
    if (end == std::string::npos) end = word.size();
    std::size_t amp = word.rfind('@', end == 0 ? 0 : end - 1);
    if (amp == std::string::npos || amp < start) continue;
    std::size_t colon = word.find(':', start);
    if (colon == std::string::npos || colon > amp || colon + 1 == amp) continue;
    if (std::string_view(word).substr(colon + 1, amp - colon - 1) == kRedacted) continue;
    word.replace(colon + 1, amp - colon - 1, kRedacted);
    changed = true;
  }
  return changed;
}

// "Authorization: Bearer X" -> "Authorization: Bearer ***" wherever it is
// (curl -H's word, or inside a script): the value up to a quote or the end,
// keeping only the auth scheme.
bool redact_headers(std::string& word) {
  bool changed = false;
  for (std::string_view header : {"authorization:", "x-api-key:", "api-key:", "x-auth-token:", "private-token:",
                                  "x-access-token:", "cookie:"}) {
    for (std::size_t at = 0; at + header.size() <= word.size(); ++at) {
      bool match = true;
      for (std::size_t k = 0; k < header.size() && match; ++k) match = lower(word[at + k]) == header[k];
      if (!match || (at > 0 && (is_alnum(word[at - 1]) || word[at - 1] == '-'))) continue;
      std::size_t value = word.find_first_not_of(' ', at + header.size());
      if (value == std::string::npos) break;
      std::size_t end = word.find_first_of("'\"\n", value);
      if (end == std::string::npos) end = word.size();
      std::size_t space = word.find(' ', value);
      if (space != std::string::npos && space < end) {
        std::string scheme;
        for (char c : std::string_view(word).substr(value, space - value)) scheme += lower(c);
        for (std::string_view known : {"bearer", "basic", "token", "digest", "negotiate", "apikey"})
          if (scheme == known) value = std::min(word.find_first_not_of(' ', space), end);
      }
      if (value >= end || std::string_view(word).substr(value, end - value) == kRedacted) continue;
      word.replace(value, end - value, kRedacted);
      changed = true;
      at = value + kRedacted.size() - 1;
    }
  }
  return changed;
}

struct TokenShape {
  std::string_view prefix;
  std::size_t min_tail;   // characters after the prefix
  std::size_t max_tail;
  bool underscore_dash;   // the tail may hold '_' and '-'
};
// Formats documented by their issuers; the prefix stays, so a reader still
// sees what kind of secret was there.
constexpr std::array<TokenShape, 14> kTokenShapes{{
    {"ghp_", 30, 255, false}, {"gho_", 30, 255, false}, {"ghu_", 30, 255, false},
    {"ghs_", 30, 255, false}, {"ghr_", 30, 255, false}, {"github_pat_", 20, 255, true},
    {"glpat-", 20, 255, true}, {"AKIA", 16, 16, false}, {"ASIA", 16, 16, false},
    {"xoxb-", 10, 255, true}, {"xoxp-", 10, 255, true}, {"xoxa-", 10, 255, true},
    {"xoxs-", 10, 255, true}, {"npm_", 36, 36, false},
}};

bool redact_tokens(std::string& word) {
  bool changed = false;
  for (const TokenShape& shape : kTokenShapes) {
    for (std::size_t at = word.find(shape.prefix); at != std::string::npos; at = word.find(shape.prefix, at + 1)) {
      if (at > 0 && is_alnum(word[at - 1])) continue;
      std::size_t tail = at + shape.prefix.size(), end = tail;
      while (end < word.size() && (is_alnum(word[end]) || (shape.underscore_dash && (word[end] == '_' || word[end] == '-'))))
        ++end;
      std::size_t n = end - tail;
      if (n < shape.min_tail || n > shape.max_tail) continue;
      word.replace(tail, n, kRedacted);
      changed = true;
    }
  }
  // JSON web tokens: three base64url parts, the first two JSON ("eyJ" is "{\"").
  for (std::size_t at = word.find("eyJ"); at != std::string::npos; at = word.find("eyJ", at + 1)) {
    if (at > 0 && is_alnum(word[at - 1])) continue;
    std::size_t end = at, dots = 0, part = 0;
    bool ok = true;
    while (end < word.size() && (is_alnum(word[end]) || word[end] == '_' || word[end] == '-' || word[end] == '.')) {
      if (word[end] == '.') {
        ok = ok && part >= 8;
        ++dots;
        part = 0;
      } else {
        ++part;
      }
      ++end;
    }
    if (!ok || dots != 2 || part < 8) continue;
    word.replace(at, end - at, kRedacted);
    changed = true;
  }
  return changed;
}

std::string_view basename(std::string_view path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool mysql_like(std::string_view program) {
  for (std::string_view p : {"mysql", "mysqldump", "mysqladmin", "mysqlimport", "mysqlshow", "mysqlcheck",
                             "mysqlpump", "mysqlslap", "mariadb", "mariadb-dump", "mariadb-admin", "mariadb-import"})
    if (program == p) return true;
  return false;
}

// An option that takes its secret as the next word: --password X, --token X.
bool takes_secret_value(std::string_view word) {
  if (word.size() < 2 || word[0] != '-' || word.find('=') != std::string_view::npos) return false;
  std::string_view name = word.substr(std::min(word.find_first_not_of('-'), word.size()));
  if (name.rfind("no-", 0) == 0) return false;  // --no-auth: a switch
  return name.size() > 1 && secret_name(name);
}

// One word without whitespace.
bool redact_single(std::string& word) {
  if (redact_option_value(word) || redact_assignment(word)) return true;
  bool changed = redact_url_passwords(word);
  changed |= redact_tokens(word);
  return changed;
}

// A word with whitespace is most often a script (sh -c, ssh host CMD): its
// words are redacted as an argv of their own, quotes around them aside.
bool redact_script(std::string& script) {
  struct Piece {
    std::size_t start, size;
    std::size_t open, close;  // quote characters around the word
  };
  std::vector<Piece> pieces;
  std::vector<std::string> words;
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  const auto quote = [](char c) { return c == '\'' || c == '"'; };
  for (std::size_t i = 0; i < script.size();) {
    if (space(script[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < script.size() && !space(script[end])) ++end;
    Piece p{i, end - i, 0, 0};
    while (p.open < p.size && quote(script[i + p.open])) ++p.open;
    while (p.close < p.size - p.open && quote(script[end - 1 - p.close])) ++p.close;
    pieces.push_back(p);
    words.push_back(script.substr(i + p.open, p.size - p.open - p.close));
    i = end;
  }
  if (!redact_argv(words)) return false;
  std::string out;
  std::size_t at = 0;
  for (std::size_t k = 0; k < pieces.size(); ++k) {
    const Piece& p = pieces[k];
    out.append(script, at, p.start + p.open - at);
    out += words[k];
    at = p.start + p.size - p.close;
  }
  out.append(script, at, std::string::npos);
  script = std::move(out);
  return true;
}

}  // namespace

bool redact_word(std::string& word) {
  bool changed = redact_headers(word);
  if (std::any_of(word.begin(), word.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n'; }))
    return redact_script(word) || changed;
  return redact_single(word) || changed;
}

bool redact_argv(std::vector<std::string>& argv) {
  bool changed = false;
  const std::string_view program = argv.empty() ? std::string_view() : basename(argv[0]);
  const bool mysql = mysql_like(program);
  const bool sshpass = program == "sshpass";
  for (std::size_t i = 0; i < argv.size(); ++i) {
    std::string& word = argv[i];
    if (i > 0 && mysql && word.size() > 2 && word[0] == '-' && word[1] == 'p' && word.substr(2) != kRedacted) {
      word.replace(2, std::string::npos, kRedacted);  // -pSECRET; a bare -p prompts
      changed = true;
      continue;
    }
    changed |= redact_word(word);
    if (i == 0 || i + 1 >= argv.size()) continue;
    bool next_is_secret = takes_secret_value(word) || (sshpass && word == "-p");
    std::string& next = argv[i + 1];
    if (next_is_secret && !next.empty() && next[0] != '-' && next != kRedacted) {
      next = kRedacted;
      changed = true;
      ++i;
    }
  }
  return changed;
}

}  // namespace proctrace
