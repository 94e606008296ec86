// An immutable run of bytes shared by every copy of its handle, the handle
// one pointer wide. The model holds a command line and two paths per exec
// segment, 600k segments in a million-event recording: a std::shared_ptr
// would make each handle twice as wide and each block carry a 16-byte
// control block. Copies share one heap block with its reference count at
// its front; the last copy frees it.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

namespace proctrace {

class SharedBytes {
 public:
  SharedBytes() = default;
  // A block of `size` bytes, uninitialized: fill it through data() before
  // sharing it. Empty (null) when size is 0.
  static SharedBytes for_overwrite(std::size_t size);
  explicit SharedBytes(std::string_view bytes);

  SharedBytes(const SharedBytes& o) noexcept : block_(o.block_) { retain(); }
  SharedBytes(SharedBytes&& o) noexcept : block_(std::exchange(o.block_, nullptr)) {}
  SharedBytes& operator=(const SharedBytes& o) noexcept {
    SharedBytes copy(o);
    std::swap(block_, copy.block_);
    return *this;
  }
  SharedBytes& operator=(SharedBytes&& o) noexcept {
    SharedBytes taken(std::move(o));
    std::swap(block_, taken.block_);
    return *this;
  }
  ~SharedBytes() { release(); }

  bool empty() const { return !block_; }
  std::size_t size() const { return block_ ? block_->size : 0; }
  const char* data() const { return block_ ? bytes_of(block_) : nullptr; }
  char* data() { return block_ ? bytes_of(block_) : nullptr; }  // only while filling a new block
  std::string_view view() const { return {data(), size()}; }
  bool same_block(const SharedBytes& o) const { return block_ == o.block_; }

 private:
  struct Block {
    // Relaxed increments, acquire-release on the last decrement: copies may
    // be made and dropped on several threads (parallel scans).
    std::atomic<std::uint32_t> refs;
    std::uint32_t size;  // bytes come from one input line: far below 4 GiB
  };  // the bytes follow
  static char* bytes_of(Block* b) { return reinterpret_cast<char*>(b + 1); }
  void retain() const {
    if (block_) block_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  void release();

  Block* block_ = nullptr;
};

}  // namespace proctrace
