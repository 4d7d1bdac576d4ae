#pragma once
/// \file
/// FixedRing: a bounded FIFO (the netcode layer's event and payload queues, the typed server's ready list) whose storage is allocated once; push fails instead of growing.

#include <cstddef>
#include <optional>
#include <vector>

namespace courier::detail {

template <class T>
class FixedRing {
 public:
  explicit FixedRing(std::size_t capacity) : items_(capacity) {}

  /// Appends; false (nothing stored) when full.
  bool push(const T& value) noexcept {
    if (count_ == items_.size()) return false;
    items_[(head_ + count_) % items_.size()] = value;
    ++count_;
    return true;
  }
  /// The slot a push would fill, for in-place construction; null when full. `commit` stores it.
  T* back_slot() noexcept { return count_ == items_.size() ? nullptr : &items_[(head_ + count_) % items_.size()]; }
  void commit() noexcept { ++count_; }

  [[nodiscard]] T* front() noexcept { return count_ == 0 ? nullptr : &items_[head_]; }
  void pop() noexcept {
    if (count_ == 0) return;
    head_ = (head_ + 1) % items_.size();
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
  [[nodiscard]] std::size_t capacity() const noexcept { return items_.size(); }

 private:
  std::vector<T> items_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;
};

}  // namespace courier::detail
