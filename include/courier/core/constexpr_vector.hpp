#pragma once
/// \file
/// `detail::ConstexprVector<T, Allocator>`: the storage of BoundedVector. A message type must be
/// default-constructible (and destructible) in a constant expression, because its worst-case
/// size is computed at compile time (schema/detail/stream.hpp). Where the standard library has
/// a constexpr std::vector (`__cpp_lib_constexpr_vector`: g++ 12's libstdc++), it is that
/// vector. Emscripten 3.1.6's libc++ 13 (the browser build) has none, so there it owns a
/// std::vector made on first use: constexpr to make and to destroy while unused, a real
/// std::vector for everything else. Only what BoundedVector calls is provided.

#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

namespace courier::detail {

#if defined(__cpp_lib_constexpr_vector)

template <class T, class Allocator>
using ConstexprVector = std::vector<T, Allocator>;

#else

template <class T, class Allocator>
class ConstexprVector {
 public:
  using vector_type = std::vector<T, Allocator>;
  using reference = typename vector_type::reference;
  using const_reference = typename vector_type::const_reference;
  using iterator = typename vector_type::iterator;
  using const_iterator = typename vector_type::const_iterator;

  constexpr ConstexprVector() noexcept = default;
  ConstexprVector(const ConstexprVector& other) : v_(other.v_ ? new vector_type(*other.v_) : nullptr) {}
  constexpr ConstexprVector(ConstexprVector&& other) noexcept : v_(std::exchange(other.v_, nullptr)) {}
  ConstexprVector& operator=(const ConstexprVector& other) {
    if (this != &other) get() = other.view();
    return *this;
  }
  constexpr ConstexprVector& operator=(ConstexprVector&& other) noexcept {
    std::swap(v_, other.v_);
    return *this;
  }
  constexpr ~ConstexprVector() { delete v_; }

  template <class It>
  void assign(It first, It last) { get().assign(first, last); }
  void push_back(const T& item) { get().push_back(item); }
  void push_back(T&& item) { get().push_back(std::move(item)); }
  template <class... Args>
  reference emplace_back(Args&&... args) { return get().emplace_back(std::forward<Args>(args)...); }
  void pop_back() { v_->pop_back(); }  // not empty: made
  void resize(std::size_t count) { get().resize(count); }
  void reserve(std::size_t count) { get().reserve(count); }
  constexpr void clear() noexcept {
    if (v_ != nullptr) v_->clear();  // keeps the capacity, as std::vector does
  }

  [[nodiscard]] constexpr std::size_t size() const noexcept { return v_ != nullptr ? v_->size() : 0; }
  [[nodiscard]] constexpr bool empty() const noexcept { return size() == 0; }
  [[nodiscard]] std::size_t capacity() const noexcept { return view().capacity(); }
  [[nodiscard]] reference operator[](std::size_t i) noexcept { return (*v_)[i]; }  // i < size(): made
  [[nodiscard]] const_reference operator[](std::size_t i) const noexcept { return (*v_)[i]; }
  [[nodiscard]] reference front() noexcept { return v_->front(); }
  [[nodiscard]] reference back() noexcept { return v_->back(); }
  [[nodiscard]] T* data() noexcept { return get().data(); }
  [[nodiscard]] const T* data() const noexcept { return view().data(); }
  [[nodiscard]] iterator begin() noexcept { return get().begin(); }
  [[nodiscard]] iterator end() noexcept { return get().end(); }
  [[nodiscard]] const_iterator begin() const noexcept { return view().begin(); }
  [[nodiscard]] const_iterator end() const noexcept { return view().end(); }

  /// The vector, read-only; an empty one when never used.
  [[nodiscard]] const vector_type& view() const noexcept { return v_ != nullptr ? *v_ : empty_vector(); }
  operator const vector_type&() const noexcept { return view(); }  // NOLINT: as the std::vector it stands for
  friend bool operator==(const ConstexprVector& a, const ConstexprVector& b) { return a.view() == b.view(); }

 private:
  static const vector_type& empty_vector() noexcept {
    static const vector_type empty;
    return empty;
  }
  vector_type& get() {
    if (v_ == nullptr) v_ = new vector_type();
    return *v_;
  }

  // On the heap: clang 14 refuses a constexpr destructor to a class (or union) holding a
  // member whose destructor is not constexpr, such as libc++ 13's std::vector. One more
  // allocation per BoundedVector that is ever used, in the browser build only.
  vector_type* v_ = nullptr;
};

#endif

}  // namespace courier::detail
