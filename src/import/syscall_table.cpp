#include "import/syscall_table.h"

#include <algorithm>
#include <cstring>

namespace proctrace {

std::string_view TextArena::copy(std::string_view a, std::string_view b, std::string_view c) {
  std::size_t n = a.size() + b.size() + c.size();
  if (n == 0) return {};
  if (n > left_) {
    std::size_t block = std::max<std::size_t>(n, 1 << 20);
    blocks_.push_back(std::make_unique<char[]>(block));
    cur_ = blocks_.back().get();
    left_ = block;
  }
  char* out = cur_;
  char* p = out;
  for (std::string_view part : {a, b, c}) {
    if (part.empty()) continue;  // may have a null data(): memcpy from it is undefined
    std::memcpy(p, part.data(), part.size());
    p += part.size();
  }
  cur_ += n;
  left_ -= n;
  used_ += n;
  return {out, n};
}

SyscallTable::const_iterator::const_iterator(const std::vector<std::vector<SyscallRecord>>* parts, std::size_t part)
    : parts_(parts), part_(part) {
  while (part_ < parts_->size() && (*parts_)[part_].empty()) ++part_;
}

SyscallTable::const_iterator& SyscallTable::const_iterator::operator++() {
  if (++index_ >= (*parts_)[part_].size()) {
    index_ = 0;
    ++part_;
    while (part_ < parts_->size() && (*parts_)[part_].empty()) ++part_;
  }
  return *this;
}

void SyscallTable::add_part(std::vector<SyscallRecord> part) {
  part_starts_.push_back(size_);
  size_ += part.size();
  parts_.push_back(std::move(part));
}

const SyscallRecord& SyscallTable::at(std::size_t i) const {
  auto it = std::upper_bound(part_starts_.begin(), part_starts_.end(), i);
  std::size_t part = static_cast<std::size_t>(it - part_starts_.begin()) - 1;
  // Empty parts share a start with the next one; upper_bound picks the last.
  return parts_[part][i - part_starts_[part]];
}

std::string SyscallTable::call_text(const SyscallRecord& r) const {
  std::string out(name(r.name));
  out += '(';
  out += r.args();
  out += r.has(SyscallRecord::kRetUnknown) ? ") = ?" : ") = " + std::to_string(r.ret);
  if (r.err) {
    out += ' ';
    out += errno_name(r.err);
  }
  return out;
}

std::vector<std::uint32_t> SyscallTable::order_by_start() const {
  std::vector<std::uint32_t> order(size_);
  std::vector<Nanos> starts(size_);
  std::size_t i = 0;
  for (auto& r : *this) {
    order[i] = static_cast<std::uint32_t>(i);
    starts[i++] = r.start;
  }
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return starts[a] < starts[b]; });
  return order;
}

std::vector<SyscallTable::Count> SyscallTable::counts() const {
  std::vector<Count> out(names_.size());
  for (auto& part : parts_)
    for (auto& r : part) {
      if (!r.returned()) continue;
      ++out[r.name].calls;
      if (r.failed()) ++out[r.name].errors;
    }
  return out;
}

std::size_t SyscallTable::arena_bytes() const {
  std::size_t n = 0;
  for (auto& a : arenas_) n += a.bytes();
  return n;
}

}  // namespace proctrace
