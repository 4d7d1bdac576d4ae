#pragma once
/// \file
/// `BoundedVector<T, N>`: a std::vector that never holds more than N elements, the schema's
/// sequence type, because a std::vector field has no bound a receiver could enforce.

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

#include "courier/core/constexpr_vector.hpp"

namespace courier {

/// A sequence of at most `N` elements of `T`, backed by a `std::vector<T, Allocator>`.
///
/// Growing it past N is a programmer error and throws `std::length_error` (`try_push_back` is
/// the non-throwing form). On the wire it is a length prefix of the fewest bits (BitPacked) or
/// bytes (ByteAligned) that can express N, then the elements. Decoding checks a declared length
/// against N *and* against what the remaining input could hold at the element's smallest
/// encoded size before it allocates, so a peer's length never drives an allocation beyond what
/// its bytes justify; decoding reuses the vector's capacity.
template <class T, std::size_t N, class Allocator = std::allocator<T>>
class BoundedVector {
 public:
  using value_type = T;
  using allocator_type = Allocator;
  using vector_type = std::vector<T, Allocator>;
  using size_type = std::size_t;
  using reference = typename vector_type::reference;  // a proxy for bool, as in std::vector
  using const_reference = typename vector_type::const_reference;
  using iterator = typename vector_type::iterator;
  using const_iterator = typename vector_type::const_iterator;

  /// The bound: the largest size this vector can hold.
  static constexpr std::size_t bound = N;

  constexpr BoundedVector() = default;
  /// Copies `items`; throws std::length_error if there are more than N.
  constexpr BoundedVector(std::initializer_list<T> items) {
    items_.assign(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(check(items.size())));
  }

  constexpr void push_back(const T& item) { grow_check(1); items_.push_back(item); }
  constexpr void push_back(T&& item) { grow_check(1); items_.push_back(std::move(item)); }
  template <class... Args>
  constexpr reference emplace_back(Args&&... args) {
    grow_check(1);
    return items_.emplace_back(std::forward<Args>(args)...);
  }
  /// Appends `item` and returns true, or returns false (unchanged) when already at N.
  constexpr bool try_push_back(const T& item) {
    if (items_.size() >= N) return false;
    items_.push_back(item);
    return true;
  }
  constexpr void pop_back() { items_.pop_back(); }
  /// Resizes to `count` value-initialized or kept elements; throws if count > N.
  constexpr void resize(std::size_t count) { items_.resize(check(count)); }
  /// Reserves room for `count` elements; throws if count > N.
  constexpr void reserve(std::size_t count) { items_.reserve(check(count)); }
  constexpr void clear() noexcept { items_.clear(); }

  [[nodiscard]] constexpr std::size_t size() const noexcept { return items_.size(); }
  [[nodiscard]] constexpr bool empty() const noexcept { return items_.empty(); }
  [[nodiscard]] constexpr std::size_t capacity() const noexcept { return items_.capacity(); }
  [[nodiscard]] static constexpr std::size_t max_size() noexcept { return N; }
  [[nodiscard]] constexpr reference operator[](std::size_t i) noexcept { return items_[i]; }
  [[nodiscard]] constexpr const_reference operator[](std::size_t i) const noexcept { return items_[i]; }
  [[nodiscard]] constexpr reference front() noexcept { return items_.front(); }
  [[nodiscard]] constexpr reference back() noexcept { return items_.back(); }
  [[nodiscard]] constexpr T* data() noexcept { return items_.data(); }
  [[nodiscard]] constexpr const T* data() const noexcept { return items_.data(); }
  [[nodiscard]] constexpr iterator begin() noexcept { return items_.begin(); }
  [[nodiscard]] constexpr iterator end() noexcept { return items_.end(); }
  [[nodiscard]] constexpr const_iterator begin() const noexcept { return items_.begin(); }
  [[nodiscard]] constexpr const_iterator end() const noexcept { return items_.end(); }
  /// The underlying vector, read-only (writing through it could break the bound).
  [[nodiscard]] constexpr const vector_type& vector() const noexcept { return items_; }

  friend constexpr bool operator==(const BoundedVector& a, const BoundedVector& b) {
    return a.items_ == b.items_;
  }

 private:
  static constexpr std::size_t check(std::size_t count) {
    if (count > N) throw std::length_error("courier::BoundedVector: size beyond its bound");
    return count;
  }
  constexpr void grow_check(std::size_t extra) const { check(items_.size() + extra); }

  detail::ConstexprVector<T, Allocator> items_;  // std::vector, constexpr even on libc++ 13
};

}  // namespace courier
