#pragma once
/// \file
/// `BoundedString<N>`: a string of at most N bytes stored inline (no heap), the schema's only
/// string type, because a std::string field has no bound a receiver could enforce.

#include <algorithm>
#include <compare>
#include <cstddef>
#include <stdexcept>
#include <string_view>
#include <type_traits>

namespace courier {

/// A string of at most `N` bytes, stored inline in the object; any byte values are allowed.
///
/// Use it like a small std::string: build or assign it from a `std::string_view` or string
/// literal, read it with `view()`, `c_str()`, `size()`, iterate it, compare it with `==` and
/// `<=>`. Building it from more than N bytes is a programmer error and throws
/// `std::length_error`; `try_assign` is the non-throwing form. On the wire it is a length prefix
/// of the fewest bits (BitPacked) or bytes (ByteAligned) that can express N, then the bytes; a
/// decoded length above N is `Error::length_out_of_range`.
template <std::size_t N>
class BoundedString {
 public:
  using value_type = char;
  using size_type = std::size_t;
  using iterator = char*;
  using const_iterator = const char*;

  /// The bound: the largest size this string can hold.
  static constexpr std::size_t bound = N;

  constexpr BoundedString() noexcept = default;
  /// Copies `text`; throws std::length_error if it is longer than N.
  constexpr BoundedString(std::string_view text) { assign(text); }  // NOLINT: implicit on purpose
  /// Copies the NUL-terminated `text` (so that `Chat{"hi"}` works); throws if longer than N.
  constexpr BoundedString(const char* text) { assign(std::string_view(text)); }  // NOLINT

  /// Replaces the contents with `text`; throws std::length_error if it is longer than N.
  constexpr BoundedString& assign(std::string_view text) {
    if (!try_assign(text)) throw std::length_error("courier::BoundedString: text longer than its bound");
    return *this;
  }
  /// Replaces the contents with `text` and returns true, or returns false (unchanged) if it is
  /// longer than N.
  constexpr bool try_assign(std::string_view text) noexcept {
    if (text.size() > N) return false;
    std::copy(text.begin(), text.end(), data_);
    set_size(text.size());
    return true;
  }
  /// Sets the size to `count`, new bytes zero; throws std::length_error if count > N.
  constexpr void resize(std::size_t count) {
    if (count > N) throw std::length_error("courier::BoundedString: resize beyond its bound");
    if (count > size_) std::fill(data_ + size_, data_ + count, '\0');
    set_size(count);
  }
  constexpr void clear() noexcept { set_size(0); }

  [[nodiscard]] constexpr std::string_view view() const noexcept { return {data_, size_}; }
  [[nodiscard]] constexpr const char* c_str() const noexcept { return data_; }
  [[nodiscard]] constexpr const char* data() const noexcept { return data_; }
  [[nodiscard]] constexpr char* data() noexcept { return data_; }
  [[nodiscard]] constexpr std::size_t size() const noexcept { return size_; }
  [[nodiscard]] constexpr bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] static constexpr std::size_t max_size() noexcept { return N; }
  [[nodiscard]] static constexpr std::size_t capacity() noexcept { return N; }
  [[nodiscard]] constexpr char& operator[](std::size_t i) noexcept { return data_[i]; }
  [[nodiscard]] constexpr char operator[](std::size_t i) const noexcept { return data_[i]; }
  [[nodiscard]] constexpr char* begin() noexcept { return data_; }
  [[nodiscard]] constexpr char* end() noexcept { return data_ + size_; }
  [[nodiscard]] constexpr const char* begin() const noexcept { return data_; }
  [[nodiscard]] constexpr const char* end() const noexcept { return data_ + size_; }

  friend constexpr bool operator==(const BoundedString& a, const BoundedString& b) noexcept {
    return a.view() == b.view();
  }
  friend constexpr std::strong_ordering operator<=>(const BoundedString& a,
                                                    const BoundedString& b) noexcept {
    return a.view().compare(b.view()) <=> 0;
  }
  // A template, so that `s == "text"` prefers it (exact match) over converting "text" to a
  // BoundedString, which would make the two overloads ambiguous.
  template <class Text>
    requires(std::is_convertible_v<const Text&, std::string_view> &&
             !std::is_same_v<Text, BoundedString>)
  friend constexpr bool operator==(const BoundedString& a, const Text& b) noexcept {
    return a.view() == std::string_view(b);
  }
  template <class Text>
    requires(std::is_convertible_v<const Text&, std::string_view> &&
             !std::is_same_v<Text, BoundedString>)
  friend constexpr std::strong_ordering operator<=>(const BoundedString& a, const Text& b) noexcept {
    return a.view().compare(std::string_view(b)) <=> 0;
  }

 private:
  constexpr void set_size(std::size_t count) noexcept {
    size_ = count;
    data_[count] = '\0';  // keeps c_str() valid
  }

  char data_[N + 1]{};
  std::size_t size_ = 0;
};

}  // namespace courier
