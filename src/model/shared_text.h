// Text that many exec segments hold alike (a program's path, a working
// directory): one immutable copy shared by all of them, 8 bytes each
// instead of a std::string's 32 (and its heap block when longer than 15).
// A forked child shares its parent's; the process tree interns the rest.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string_view>
#include <unordered_map>

#include "model/shared_bytes.h"

namespace proctrace {

class SharedText {
 public:
  SharedText() = default;
  // A copy of its own (not interned).
  explicit SharedText(std::string_view text);
  SharedText& operator=(std::string_view text) { return *this = SharedText(text); }

  bool empty() const { return text_.empty(); }
  std::size_t size() const { return text_.size(); }
  void clear() { text_ = {}; }
  // Valid while any copy of this SharedText lives.
  std::string_view str() const { return text_.view(); }
  operator std::string_view() const { return str(); }

  friend bool operator==(const SharedText& a, std::string_view b) { return a.str() == b; }

 private:
  SharedBytes text_;  // empty: no block
};

// For test failure messages.
void PrintTo(const SharedText& text, std::ostream* os);

// Hands out one SharedText per distinct text. A cache, not a registry: past
// kMaxTexts it starts over (texts handed out stay valid), so a stream of
// ever-new paths costs what the segments holding them cost, no more.
class TextInterner {
 public:
  SharedText intern(std::string_view text);

 private:
  static constexpr std::size_t kMaxTexts = 4096;
  std::unordered_map<std::string_view, SharedText> texts_;  // keys view the values
};

}  // namespace proctrace
