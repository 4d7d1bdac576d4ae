#pragma once
/// \file
/// FixedRing: a bounded FIFO (the netcode layer's event and payload queues, the typed server's
/// ready list) whose storage is allocated once; push fails instead of growing.
///
/// The storage is reserved at construction but its elements are constructed on first use, in
/// order: a queue sized for a busy server (1 024 payload buffers of 1 200 bytes) costs a small
/// server only what it fills (the memory is mapped lazily by the system), and nothing on the
/// push path allocates (construction goes into the reserved storage). Positions are taken in
/// order from 0, so the next position is never past the constructed ones.

#include <cstddef>
#include <optional>
#include <vector>

namespace courier::detail {

template <class T>
class FixedRing {
 public:
  explicit FixedRing(std::size_t capacity) : capacity_(capacity) { items_.reserve(capacity); }

  /// Appends; false (nothing stored) when full.
  bool push(const T& value) noexcept {
    T* slot = back_slot();
    if (slot == nullptr) return false;
    *slot = value;
    ++count_;
    return true;
  }
  /// The slot a push would fill, for in-place construction; null when full. `commit` stores it.
  T* back_slot() noexcept {
    if (count_ == capacity_) return nullptr;
    const std::size_t at = (head_ + count_) % capacity_;
    if (at == items_.size()) items_.emplace_back();  // first use of this position: no allocation
    return &items_[at];
  }
  void commit() noexcept { ++count_; }

  [[nodiscard]] T* front() noexcept { return count_ == 0 ? nullptr : &items_[head_]; }
  void pop() noexcept {
    if (count_ == 0) return;
    head_ = (head_ + 1) % capacity_;
    --count_;
  }
  std::optional<T> take() noexcept {
    if (count_ == 0) return std::nullopt;
    T value = items_[head_];
    pop();
    return value;
  }
  void clear() noexcept { head_ = count_ = 0; }

  [[nodiscard]] std::size_t size() const noexcept { return count_; }
  [[nodiscard]] bool empty() const noexcept { return count_ == 0; }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

 private:
  std::vector<T> items_;  ///< the positions used so far (capacity_ reserved)
  std::size_t capacity_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;
};

}  // namespace courier::detail
