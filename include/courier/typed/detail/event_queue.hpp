#pragma once
/// \file
/// EventQueue: the FIFO behind `poll_event()`. A std::deque of events this large (a variant
/// holding the pack's biggest message) gets one heap node per element, so every response or
/// lifecycle event cost an allocation. This queue keeps its elements in one vector and reuses
/// its capacity: after warm-up (the largest backlog the application let build up), pushing
/// and taking events allocate nothing.

#include <cstddef>
#include <iterator>
#include <utility>
#include <vector>

namespace courier::detail {

template <class T>
class EventQueue {
 public:
  [[nodiscard]] bool empty() const noexcept { return head_ == items_.size(); }
  [[nodiscard]] std::size_t size() const noexcept { return items_.size() - head_; }

  [[nodiscard]] T& front() noexcept { return items_[head_]; }

  void pop_front() noexcept {
    if (++head_ == items_.size()) {  // drained: start over at the front of the same storage
      items_.clear();
      head_ = 0;
    }
  }

  template <class... Args>
  void emplace_back(Args&&... args) {
    compact();
    items_.emplace_back(std::forward<Args>(args)...);
  }
  void push_back(T&& e) { emplace_back(std::move(e)); }

 private:
  // An application that never drains completely would otherwise grow the vector forever:
  // once half of it is consumed, the live half moves to the front (no allocation).
  void compact() {
    if (head_ == 0 || head_ < items_.size() / 2) return;
    items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }

  std::vector<T> items_;
  std::size_t head_ = 0;
};

}  // namespace courier::detail
