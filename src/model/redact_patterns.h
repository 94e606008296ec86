// The user's own secret shapes for redaction (`--redact-pattern REGEX`):
// every match in a command line becomes "***", beside the built-in shapes
// of model/redact.h.
//
// Patterns are RE2 syntax (Perl-like, without backreferences or
// lookaround) and run on RE2, whose matching takes time linear in the text
// and bounded memory, with no recursion: a command line is hostile input
// (a 128 KiB argv word, a pattern like (a+)+$) and std::regex would
// backtrack exponentially or overflow the stack on it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace proctrace {

class RedactPatterns {
 public:
  // Compiles one pattern; false, with why in `error`, when it does not
  // compile or would match the empty string (it would mask nothing, or
  // "***" between every character).
  [[nodiscard]] bool add(std::string_view pattern, std::string& error);
  bool empty() const { return patterns_.empty(); }
  // Replaces every match of every pattern in `text` with "***"; returns
  // whether anything changed. A match of zero width (\b) masks nothing and
  // ends that pattern's scan of this text.
  bool apply(std::string& text) const;
  bool apply(std::vector<std::string>& words) const;

 private:
  std::vector<std::shared_ptr<const re2::RE2>> patterns_;  // shared: options are copied around
};

}  // namespace proctrace
