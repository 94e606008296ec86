#include "model/argv.h"

#include <cstring>
#include <ostream>

namespace proctrace {

namespace {

// The i-th std::uint32_t of the header (0: the count, then the offsets).
std::uint32_t load_word(const char* data, std::size_t i) {
  std::uint32_t v;
  std::memcpy(&v, data + i * sizeof v, sizeof v);
  return v;
}

}  // namespace

// Offsets are 32-bit: an argv comes from one input line, and lines are
// capped far below 4 GiB (kMaxLineBytes).
template <class Args>
void Argv::assign(const Args& args) {
  if (args.empty()) return;
  const std::size_t count = args.size();
  const std::size_t header = (count + 2) * sizeof(std::uint32_t);
  std::size_t bytes = 0;
  for (auto& a : args) bytes += a.size();
  SharedBytes data = SharedBytes::for_overwrite(header + bytes);
  char* out = data.data();
  auto store_word = [&](std::size_t i, std::uint32_t v) { std::memcpy(out + i * sizeof v, &v, sizeof v); };
  store_word(0, static_cast<std::uint32_t>(count));
  std::uint32_t at = 0;
  for (std::size_t i = 0; i < count; ++i) {
    store_word(1 + i, at);
    std::memcpy(out + header + at, args[i].data(), args[i].size());
    at += static_cast<std::uint32_t>(args[i].size());
  }
  store_word(1 + count, at);
  data_ = std::move(data);
}

Argv::Argv(const std::vector<std::string>& args) { assign(args); }
Argv::Argv(const std::vector<std::string_view>& args) { assign(args); }

std::size_t Argv::size() const { return data_.empty() ? 0 : load_word(data_.data(), 0); }

std::string_view Argv::operator[](std::size_t i) const {
  const char* d = data_.data();
  const std::size_t count = load_word(d, 0);
  std::uint32_t from = load_word(d, 1 + i), to = load_word(d, 2 + i);
  return {d + (count + 2) * sizeof(std::uint32_t) + from, to - from};
}

std::size_t Argv::joined_length() const {
  const std::size_t count = size();
  if (count == 0) return 0;
  return load_word(data_.data(), 1 + count) + count - 1;
}

std::vector<std::string> Argv::to_vector() const {
  std::vector<std::string> out;
  out.reserve(size());
  for (std::string_view a : *this) out.emplace_back(a);
  return out;
}

bool operator==(const Argv& a, const Argv& b) {
  if (a.data_.same_block(b.data_)) return true;
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) return false;
  return true;
}

bool operator==(const Argv& a, const std::vector<std::string>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) return false;
  return true;
}

void PrintTo(const Argv& argv, std::ostream* os) {
  *os << '{';
  for (std::size_t i = 0; i < argv.size(); ++i) *os << (i ? ", \"" : "\"") << argv[i] << '"';
  *os << '}';
}

}  // namespace proctrace
