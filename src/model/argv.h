// A command line as the process model keeps it: immutable, and shared by
// every copy. A forked child runs its parent's program until it execs, and
// a build has hundreds of thousands of processes, so the arguments are
// stored once, back to back in one allocation, not as a std::string (and a
// heap block) each: a million-event recording's model then fits in memory
// that follows its bytes (issue 16).
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "model/shared_bytes.h"

namespace proctrace {

class Argv {
 public:
  Argv() = default;
  explicit Argv(const std::vector<std::string>& args);
  explicit Argv(const std::vector<std::string_view>& args);
  Argv(std::initializer_list<std::string_view> args) : Argv(std::vector<std::string_view>(args)) {}

  std::size_t size() const;
  bool empty() const { return data_.empty(); }
  // Views into the shared text: valid while any copy of this Argv lives.
  std::string_view operator[](std::size_t i) const;
  std::string_view front() const { return (*this)[0]; }
  std::string_view back() const { return (*this)[size() - 1]; }
  // Arguments joined by single spaces, counted without building them.
  std::size_t joined_length() const;
  std::vector<std::string> to_vector() const;

  class iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = std::string_view;
    iterator(const Argv* argv, std::size_t i) : argv_(argv), i_(i) {}
    std::string_view operator*() const { return (*argv_)[i_]; }
    iterator& operator++() { ++i_; return *this; }
    iterator operator++(int) { iterator old = *this; ++i_; return old; }
    iterator& operator--() { --i_; return *this; }
    iterator& operator+=(difference_type n) { i_ += n; return *this; }
    iterator operator+(difference_type n) const { return {argv_, i_ + n}; }
    iterator operator-(difference_type n) const { return {argv_, i_ - n}; }
    difference_type operator-(const iterator& o) const { return static_cast<difference_type>(i_ - o.i_); }
    std::string_view operator[](difference_type n) const { return (*argv_)[i_ + n]; }
    bool operator==(const iterator& o) const { return i_ == o.i_; }
    bool operator!=(const iterator& o) const { return i_ != o.i_; }
    bool operator<(const iterator& o) const { return i_ < o.i_; }

   private:
    const Argv* argv_;
    std::size_t i_;
  };
  iterator begin() const { return {this, 0}; }
  iterator end() const { return {this, size()}; }

  friend bool operator==(const Argv& a, const Argv& b);
  friend bool operator==(const Argv& a, const std::vector<std::string>& b);

 private:
  template <class Args>
  void assign(const Args& args);

  // The count, count + 1 offsets (all std::uint32_t), then the arguments'
  // bytes; empty when there are no arguments.
  SharedBytes data_;
};

// For test failure messages: the arguments as a list.
void PrintTo(const Argv& argv, std::ostream* os);

}  // namespace proctrace
