#pragma once
/// \file
/// FixedRing: a bounded FIFO (the netcode layer's event and payload queues, the typed server's
/// ready list) that never holds more than its capacity; push fails instead of growing.
///
/// Its elements are constructed on first use, in order, into chunks of about 16 KiB allocated as
/// the positions reach them: a queue sized for a busy server (1 024 payload buffers of 1 200
/// bytes) costs a small server only what it fills, in time as well as in memory. (A single
/// reservation of the whole capacity was cheap in pages but not everywhere in time: allocators
/// that touch a large block on allocation, such as AddressSanitizer's, paid for all of it on
/// every construction.) Positions are taken in order from 0, so the next position is never past
/// the constructed ones, and a chunk is allocated only when the ring first grows into it: after
/// warm-up nothing on the push path allocates, and elements never move.

#include <algorithm>
#include <cstddef>
#include <memory>
#include <new>
#include <optional>
#include <utility>
#include <vector>

namespace courier::detail {

template <class T>
class FixedRing {
 public:
  explicit FixedRing(std::size_t capacity) : capacity_(capacity) {
    chunks_.reserve((capacity + per_chunk - 1) / per_chunk);
  }
  FixedRing(FixedRing&& other) noexcept
      : chunks_(std::move(other.chunks_)), capacity_(other.capacity_), built_(std::exchange(other.built_, 0)),
        head_(std::exchange(other.head_, 0)), count_(std::exchange(other.count_, 0)) {}
  FixedRing& operator=(FixedRing&&) = delete;
  FixedRing(const FixedRing&) = delete;
  FixedRing& operator=(const FixedRing&) = delete;
  ~FixedRing() {
    for (std::size_t i = 0; i < built_; ++i) item(i).~T();
  }

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
    if (at == built_) build_next();
    return &item(at);
  }
  void commit() noexcept { ++count_; }

  [[nodiscard]] T* front() noexcept { return count_ == 0 ? nullptr : &item(head_); }
  void pop() noexcept {
    if (count_ == 0) return;
    head_ = (head_ + 1) % capacity_;
    --count_;
  }
  std::optional<T> take() noexcept {
    if (count_ == 0) return std::nullopt;
    T value = item(head_);
    pop();
    return value;
  }
  void clear() noexcept { head_ = count_ = 0; }

  [[nodiscard]] std::size_t size() const noexcept { return count_; }
  [[nodiscard]] bool empty() const noexcept { return count_ == 0; }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

 private:
  static constexpr std::size_t per_chunk = std::max<std::size_t>(1, 16384 / sizeof(T));
  struct alignas(T) Cell {
    std::byte bytes[sizeof(T)];
  };

  T& item(std::size_t i) noexcept {
    return *std::launder(reinterpret_cast<T*>(&chunks_[i / per_chunk][i % per_chunk]));
  }
  /// Constructs position `built_`, first allocating its chunk (no larger than the capacity left)
  /// when it starts one. The allocation happens once per chunk, during warm-up.
  void build_next() noexcept {
    if (built_ % per_chunk == 0)
      chunks_.push_back(std::unique_ptr<Cell[]>(new Cell[std::min(per_chunk, capacity_ - built_)]));  // not zeroed
    ::new (static_cast<void*>(&chunks_[built_ / per_chunk][built_ % per_chunk])) T();
    ++built_;
  }

  std::vector<std::unique_ptr<Cell[]>> chunks_;  ///< chunks built so far (all reserved up front)
  std::size_t capacity_;
  std::size_t built_ = 0;  ///< positions constructed so far: 0 .. built_-1
  std::size_t head_ = 0;
  std::size_t count_ = 0;
};

}  // namespace courier::detail
