#pragma once
/// \file
/// ByteRing: contiguous variable-size allocations from one buffer of fixed capacity, released
/// in the order they were made. Send queues release in that order (reliable channels at their
/// oldest unacked message, unreliable ones as they are written), so no allocator is needed.
/// The buffer holds memory only as far as allocations reached (ByteBuffer): a queue that never
/// held more than a few messages holds a few messages' bytes.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "courier/reliable/byte_buffer.hpp"

namespace courier::detail {

class ByteRing {
 public:
  explicit ByteRing(std::size_t capacity) : data_(capacity) {}

  [[nodiscard]] std::size_t capacity() const noexcept { return data_.size(); }

  /// The offset of `n` free contiguous bytes, or nullopt when they do not fit now.
  std::optional<std::uint32_t> allocate(std::size_t n) noexcept {
    if (live_ == 0) head_ = tail_ = 0;
    const bool wrapped = head_ < tail_ || (head_ == tail_ && live_ > 0);
    std::size_t at = 0;
    if (wrapped) {
      if (tail_ - head_ < n) return std::nullopt;
      at = head_;
    } else if (data_.size() - head_ >= n) {
      at = head_;
    } else if (tail_ >= n) {
      at = 0;  // the end gap stays unused until the ring wraps past it
    } else {
      return std::nullopt;
    }
    data_.reach(at + n);
    head_ = at + n;
    ++live_;
    return static_cast<std::uint32_t>(at);
  }

  /// Releases the oldest live allocation, which started at `offset` and spans `size` bytes.
  void release_oldest(std::uint32_t offset, std::uint32_t size) noexcept {
    if (live_ == 0) return;
    --live_;
    tail_ = offset + static_cast<std::size_t>(size);
    if (live_ == 0) head_ = tail_ = 0;
  }

  [[nodiscard]] std::span<std::byte> at(std::uint32_t offset, std::uint32_t size) noexcept {
    return {data_.data() + offset, size};
  }

  /// Forgets every allocation.
  void clear() noexcept { head_ = tail_ = live_ = 0; }

  /// Gives the buffer's memory back when no allocation is live (a quiet queue). True when it
  /// holds no memory now; false while allocations are live.
  bool trim() noexcept {
    if (live_ != 0) return false;
    data_.free_memory();
    head_ = tail_ = 0;
    return true;
  }

 private:
  ByteBuffer data_;  // held as far as allocations reached
  std::size_t head_ = 0;
  std::size_t tail_ = 0;
  std::size_t live_ = 0;
};

}  // namespace courier::detail
