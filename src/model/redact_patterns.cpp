#include "model/redact_patterns.h"

#include <re2/re2.h>

#include "model/redact.h"

namespace proctrace {

namespace {

// A pattern compiles to at most this much automaton: far more than any
// sensible secret shape needs, and a bound on what a huge {n} repeat costs.
constexpr std::int64_t kMaxPatternMemory = 8 << 20;

}  // namespace

bool RedactPatterns::add(std::string_view pattern, std::string& error) {
  RE2::Options options;
  options.set_log_errors(false);  // the error goes to the caller, once
  options.set_max_mem(kMaxPatternMemory);
  auto re = std::make_shared<const RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!re->ok()) {
    error = re->error();
    return false;
  }
  if (RE2::FullMatch("", *re)) {
    error = "it matches the empty string";
    return false;
  }
  patterns_.push_back(std::move(re));
  return true;
}

bool RedactPatterns::apply(std::string& text) const {
  bool changed = false;
  for (const auto& re : patterns_) {
    std::string out;
    std::size_t pos = 0;
    bool any = false;
    re2::StringPiece match;
    const re2::StringPiece whole(text);
    while (pos < text.size() && re->Match(whole, pos, text.size(), RE2::UNANCHORED, &match, 1)) {
      if (match.empty()) break;  // zero width: nothing to mask, and no progress
      const std::size_t start = static_cast<std::size_t>(match.data() - text.data());
      out.append(text, pos, start - pos);
      out += kRedacted;
      pos = start + match.size();
      any = true;
    }
    if (!any) continue;
    out.append(text, pos, std::string::npos);
    text = std::move(out);
    changed = true;
  }
  return changed;
}

bool RedactPatterns::apply(std::vector<std::string>& words) const {
  bool changed = false;
  for (std::string& word : words) changed |= apply(word);
  return changed;
}

}  // namespace proctrace
