#pragma once
/// \file
/// LazyTable: a fixed-size array whose elements all start equal to a blank value, but whose
/// memory is only written when an element is first reached through the non-const operator[].
///
/// Why: a connection's tables (send queue, status records, sequence buffers, receive slots) are
/// sized for a burst, while most connections are idle most of the time. A std::vector(n) writes
/// every element at construction, so each connection was resident at its full capacity. Here
/// the storage is taken once (RawStorage: from the connection's arena, or the heap) and
/// elements are written in index order as they are reached; memory pages of a table nobody has
/// used stay untouched, so the operating system never backs them. Every ring and sequence table
/// reaches its indices from 0 upwards, so what is written tracks what was used.

#include <cstddef>
#include <cstring>
#include <memory>

#include "courier/core/arena.hpp"

namespace courier::detail {

template <class T>
class LazyTable {
 public:
  explicit LazyTable(std::size_t size, const T& blank = T{}) : items_(size), blank_(blank) {}

  // A copy takes storage of the full size too (from the filling arena, if any).
  LazyTable(const LazyTable& other) : items_(other.size()), touched_(other.touched_), blank_(other.blank_) {
    if (touched_ != 0) std::memcpy(items_.data(), other.items_.data(), touched_ * sizeof(T));
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
  [[nodiscard]] std::size_t size() const noexcept { return items_.count(); }
  /// How many elements have been written so far (a prefix of the table).
  [[nodiscard]] std::size_t touched() const noexcept { return touched_; }

  /// Element `i`, written (with every untouched one before it) if it was not yet.
  T& operator[](std::size_t i) noexcept {
    if (i >= touched_) {
      std::uninitialized_fill(items_.data() + touched_, items_.data() + i + 1, blank_);
      touched_ = i + 1;
    }
    return items_.data()[i];
  }
  /// Element `i`, or the blank value when it was never written.
  const T& operator[](std::size_t i) const noexcept { return i < touched_ ? items_.data()[i] : blank_; }

  /// The storage, for index arithmetic on element addresses (stable for the table's life).
  [[nodiscard]] const T* data() const noexcept { return items_.data(); }

 private:
  RawStorage<T> items_;
  std::size_t touched_ = 0;
  T blank_;
};

}  // namespace courier::detail
