#include "model/shared_bytes.h"

#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>

namespace proctrace {

SharedBytes SharedBytes::for_overwrite(std::size_t size) {
  SharedBytes out;
  if (size == 0) return out;
  // The callers' texts come from one input line (16 MiB at most); a count
  // that does not fit is a bug, never a silently shortened block.
  if (size > UINT32_MAX) throw std::length_error("SharedBytes: block over 4 GiB");
  void* memory = std::malloc(sizeof(Block) + size);
  if (!memory) throw std::bad_alloc();
  out.block_ = new (memory) Block;
  out.block_->refs.store(1, std::memory_order_relaxed);
  out.block_->size = static_cast<std::uint32_t>(size);
  return out;
}

SharedBytes::SharedBytes(std::string_view bytes) {
  *this = for_overwrite(bytes.size());
  if (block_) std::memcpy(bytes_of(block_), bytes.data(), bytes.size());
}

void SharedBytes::release() {
  if (!block_) return;
  if (block_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    block_->~Block();
    std::free(block_);
  }
  block_ = nullptr;
}

}  // namespace proctrace
