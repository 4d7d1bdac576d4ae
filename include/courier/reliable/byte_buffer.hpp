#pragma once
/// \file
/// `ByteBuffer`: a byte array of fixed logical size that holds memory only up to the highest
/// byte reached so far, left uninitialised. Connection storage (reassembly, staging, channel
/// queues) has room for the worst case but an idle connection writes little of it; a
/// std::vector<std::byte> would zero, and hold, every byte at once. Writers call `reach(end)`
/// before writing below `end`; what was reached before is kept when the buffer grows
/// (core/growing_storage.hpp), so offsets stay valid and pointers are valid until the next
/// reach.

#include <cstddef>
#include <span>

#include "courier/core/growing_storage.hpp"

namespace courier::detail {

class ByteBuffer {
 public:
  ByteBuffer() = default;
  explicit ByteBuffer(std::size_t size) : data_(size) {}
  ByteBuffer(ByteBuffer&&) noexcept = default;
  ByteBuffer& operator=(ByteBuffer&&) noexcept = default;

  /// The logical size: the most bytes it can hold.
  [[nodiscard]] std::size_t size() const noexcept { return data_.size(); }
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }
  /// How far it was reached: bytes below are held (written or not).
  [[nodiscard]] std::size_t reached() const noexcept { return reached_; }

  /// Makes bytes [0, end) writable (end ≤ size()), keeping those reached before; returns the start.
  std::byte* reach(std::size_t end) {
    if (end > reached_) {
      data_.reach(end, reached_);
      reached_ = end;
    }
    return data_.data();
  }

  /// Gives the memory back: nothing is reached any more.
  void free_memory() noexcept {
    data_.free_memory();
    reached_ = 0;
  }

  /// The start; bytes below reached() are valid.
  [[nodiscard]] std::byte* data() noexcept { return data_.data(); }
  [[nodiscard]] const std::byte* data() const noexcept { return data_.data(); }

 private:
  GrowingStorage<std::byte> data_;
  std::size_t reached_ = 0;
};

}  // namespace courier::detail
