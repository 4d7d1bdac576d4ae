#pragma once
/// \file
/// LazyTable: a fixed-size array whose elements all start equal to a blank value, but which
/// holds memory only for the prefix reached so far through the non-const operator[].
///
/// Why: a connection's tables (send queue, status records, sequence buffers, receive slots) are
/// sized for a burst, while most connections are idle most of the time. A std::vector(n) writes
/// every element at construction, so each connection held its full capacity. Here elements
/// are written in index order as they are reached, in storage that grows with them
/// (core/growing_storage.hpp). Every ring and sequence table reaches its indices from 0
/// upwards, so what is held tracks what was used. Element addresses change when it grows.

#include <cstddef>
#include <cstring>
#include <memory>

#include "courier/core/growing_storage.hpp"

namespace courier::detail {

template <class T>
class LazyTable {
 public:
  explicit LazyTable(std::size_t size, const T& blank = T{}) : items_(size), blank_(blank) {}

  // A copy holds the touched prefix (and reports to the filling meter, if any).
  LazyTable(const LazyTable& other) : items_(other.size()), touched_(other.touched_), blank_(other.blank_) {
    if (touched_ != 0) std::memcpy(items_.reach(touched_, 0), other.items_.data(), touched_ * sizeof(T));
  }
  LazyTable& operator=(const LazyTable& other) {
    if (this != &other) *this = LazyTable(other);
    return *this;
  }
  LazyTable(LazyTable&& other) noexcept
      : items_(std::move(other.items_)), touched_(other.touched_), blank_(other.blank_) {
    other.touched_ = 0;
  }
  LazyTable& operator=(LazyTable&& other) noexcept {
    if (this != &other) {
      items_ = std::move(other.items_);
      touched_ = other.touched_;
      blank_ = other.blank_;
      other.touched_ = 0;
    }
    return *this;
  }
  ~LazyTable() = default;

  /// The logical size: every index below it is valid.
  [[nodiscard]] std::size_t size() const noexcept { return items_.size(); }
  /// How many elements have been written so far (a prefix of the table).
  [[nodiscard]] std::size_t touched() const noexcept { return touched_; }

  /// Element `i`, written (with every untouched one before it) if it was not yet. Reaching a
  /// new element may move the table (see the file comment on failed allocations).
  T& operator[](std::size_t i) noexcept {
    if (i >= touched_) {
      T* items = items_.reach(i + 1, touched_);
      std::uninitialized_fill(items + touched_, items + i + 1, blank_);
      touched_ = i + 1;
    }
    return items_.data()[i];
  }
  /// Element `i`, or the blank value when it was never written.
  const T& operator[](std::size_t i) const noexcept { return i < touched_ ? items_.data()[i] : blank_; }

  /// How many elements it has room for without growing.
  [[nodiscard]] std::size_t capacity() const noexcept { return items_.capacity(); }

  /// The storage, for index arithmetic on element addresses (valid until the table grows).
  [[nodiscard]] const T* data() const noexcept { return items_.data(); }

 private:
  GrowingStorage<T> items_;
  std::size_t touched_ = 0;
  T blank_;
};

}  // namespace courier::detail
