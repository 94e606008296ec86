#include "model/shared_text.h"

#include <ostream>

namespace proctrace {

SharedText::SharedText(std::string_view text) : text_(text) {}

void PrintTo(const SharedText& text, std::ostream* os) { *os << '"' << text.str() << '"'; }

SharedText TextInterner::intern(std::string_view text) {
  if (text.empty()) return {};
  if (auto it = texts_.find(text); it != texts_.end()) return it->second;
  if (texts_.size() >= kMaxTexts) texts_.clear();
  SharedText shared(text);
  texts_.emplace(std::string_view(shared), shared);
  return shared;
}

}  // namespace proctrace
