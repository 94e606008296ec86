#include "model/open_fd.h"

#include <array>

namespace proctrace {

namespace {
const std::array<std::string_view, 7> kFdKindNames = {"file", "pipe", "fifo", "socket", "tty", "anon", "other"};
}  // namespace

std::string_view fd_kind_name(FdKind kind) { return kFdKindNames[static_cast<std::size_t>(kind)]; }

std::optional<FdKind> fd_kind_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kFdKindNames.size(); ++i)
    if (kFdKindNames[i] == name) return static_cast<FdKind>(i);
  return std::nullopt;
}

}  // namespace proctrace
