// A process's process-group or session ids over time: (since, id) pairs,
// the first inherited or seen at its start. Nearly every process has exactly
// one, so that one is held inline and only later changes (setpgid, setsid)
// take a heap block: a million-event recording's model saves two heap
// blocks per process over a std::vector.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "model/event.h"

namespace proctrace {

class IdHistory {
 public:
  using Entry = std::pair<Nanos, Pid>;

  IdHistory() = default;
  IdHistory(const IdHistory& o) { *this = o; }
  IdHistory(IdHistory&&) noexcept = default;
  IdHistory& operator=(const IdHistory& o) {
    if (this == &o) return *this;
    first_since_ = o.first_since_;
    first_id_ = o.first_id_;
    size_ = o.size_;
    later_ = o.later_ ? std::make_unique<std::vector<Entry>>(*o.later_) : nullptr;
    return *this;
  }
  IdHistory& operator=(IdHistory&&) noexcept = default;

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  Entry operator[](std::size_t i) const { return i == 0 ? Entry{first_since_, first_id_} : (*later_)[i - 1]; }
  Entry back() const { return (*this)[size_ - 1]; }
  void emplace_back(Nanos since, Pid id) {
    if (size_ == 0) {
      first_since_ = since;
      first_id_ = id;
    } else {
      if (!later_) later_ = std::make_unique<std::vector<Entry>>();
      later_->emplace_back(since, id);
    }
    ++size_;
  }

 private:
  Nanos first_since_ = 0;
  Pid first_id_ = 0;
  std::uint32_t size_ = 0;
  std::unique_ptr<std::vector<Entry>> later_;  // entries after the first
};

}  // namespace proctrace
