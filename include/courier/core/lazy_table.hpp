#pragma once
/// \file
/// LazyTable: a fixed-size array whose elements all start equal to a blank value, but whose
/// memory is only written when an element is first reached through the non-const operator[].
///
/// Why: a connection's tables (send queue, status records, sequence buffers, receive slots) are
/// sized for a burst, while most connections are idle most of the time. A std::vector(n) writes
/// every element at construction, so each connection was resident at its full capacity. Here
/// the storage is reserved once (the only allocation) and elements are value-initialised in
/// index order as they are reached; memory pages of a table nobody has used stay untouched, so
/// the operating system never backs them. Every ring and sequence table reaches its indices from
/// 0 upwards, so what is written tracks what was used.

#include <cstddef>
#include <vector>

namespace courier::detail {

template <class T>
class LazyTable {
 public:
  explicit LazyTable(std::size_t size, const T& blank = T{}) : size_(size), blank_(blank) { items_.reserve(size); }

  // A copy reserves the full size too, so growing it later never reallocates.
  LazyTable(const LazyTable& other) : size_(other.size_), blank_(other.blank_) {
    items_.reserve(size_);
    items_ = other.items_;
  }
  LazyTable& operator=(const LazyTable& other) {
    if (this != &other) *this = LazyTable(other);
    return *this;
  }
  LazyTable(LazyTable&&) noexcept = default;
  LazyTable& operator=(LazyTable&&) noexcept = default;
  ~LazyTable() = default;

  /// The logical size: every index below it is valid.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// How many elements have been written so far (a prefix of the table).
  [[nodiscard]] std::size_t touched() const noexcept { return items_.size(); }

  /// Element `i`, written (with every untouched one before it) if it was not yet. Growing stays
  /// within the reserved storage, so it never allocates and never moves elements.
  T& operator[](std::size_t i) noexcept {
    if (i >= items_.size()) items_.resize(i + 1, blank_);
    return items_[i];
  }
  /// Element `i`, or the blank value when it was never written.
  const T& operator[](std::size_t i) const noexcept { return i < items_.size() ? items_[i] : blank_; }

  /// The storage, for index arithmetic on element addresses (stable for the table's life).
  [[nodiscard]] const T* data() const noexcept { return items_.data(); }

 private:
  std::size_t size_;
  T blank_;
  std::vector<T> items_;
};

}  // namespace courier::detail
