#pragma once
/// \file
/// What a `serialize(Stream&)` function can call on its stream, and the measuring streams.
///
/// A custom message writes one function and courier runs it four ways (write, read, measure,
/// worst-case measure), as yojimbo's `Serialize(Stream&)` does, but each field's type decides
/// its encoding, so a read can never disagree with its write:
///
/// ```cpp
/// struct Shot {
///   std::uint32_t shooter;
///   int angle;      // sent in 9 bits below
///   float power;    // sent in 8 bits below
///   template <class Stream>
///   constexpr void serialize(Stream& s) {
///     s(shooter);
///     s.template ranged<0, 359>(angle);
///     s.template quantized<0, 1, 8>(power);
///   }
/// };
/// ```
///
/// Rules: declare serialize `constexpr` (max_bytes runs it at compile time on a
/// default-constructed object, which must therefore be constexpr-constructible), and visit the
/// same fields whatever their values (use std::optional for optional parts), or max_bytes
/// cannot see the worst case.

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>

#include "courier/core/error.hpp"
#include "courier/schema/detail/fields.hpp"
#include "courier/schema/detail/format.hpp"

namespace courier::detail {

/// The calls a serialize(Stream&) function makes; every stream derives from it (CRTP).
template <class Derived>
class StreamOps {
 public:
  /// Visits each field in order; each field's type chooses its encoding.
  template <class... Fields>
  constexpr void operator()(Fields&... fields) {
    (serialize_field(self(), fields), ...);
  }

  /// Visits integer `field` as if it were `courier::Ranged<T, Min, Max>`.
  template <auto Min, auto Max, std::integral T>
  constexpr void ranged(T& field) {
    static_assert(std::in_range<T>(Min) && std::in_range<T>(Max),
                  "courier schema: ranged<Min, Max>: the bounds must fit the field's type");
    static_assert(std::cmp_less_equal(Min, Max),
                  "courier schema: ranged<Min, Max>: Min must not be greater than Max");
    serialize_ranged<Min, Max>(self(), field);
  }

  /// Visits float or double `field` as if it were `courier::Quantized<Min, Max, Bits>`.
  template <int Min, int Max, unsigned Bits, std::floating_point F>
  constexpr void quantized(F& field) {
    static_assert(Min < Max, "courier schema: quantized<Min, Max, Bits>: Min must be less than Max");
    static_assert(Bits >= 1 && Bits <= 32, "courier schema: quantized<Min, Max, Bits>: Bits must be 1..32");
    serialize_quantized<Min, Max, Bits>(self(), field);
  }

 private:
  constexpr Derived& self() noexcept { return static_cast<Derived&>(*this); }
};

/// Counts bits instead of writing them: the exact size of a value (Mode::measure), or, run on a
/// default-constructed value, the worst (Mode::max) or best (Mode::min) case of its type.
/// It never fails, so it is usable in constant expressions.
template <class FormatT, Mode M>
class Measurer : public StreamOps<Measurer<FormatT, M>> {
 public:
  using Format = FormatT;
  static constexpr Mode mode = M;

  constexpr void value(std::uint64_t& /*value*/, unsigned bits) noexcept { bits_ += bits; }
  constexpr void bytes(char* /*data*/, std::size_t count) noexcept { bits_ += 8 * count; }
  constexpr void add_bits(std::size_t count) noexcept { bits_ += count; }
  [[nodiscard]] constexpr bool ok() const noexcept { return true; }
  constexpr void fail(Error /*error*/) noexcept {}
  [[nodiscard]] constexpr std::size_t bits() const noexcept { return bits_; }

 private:
  std::size_t bits_ = 0;
};

/// True when T's worst case can be computed at compile time (its serialize, if any, is
/// constexpr and it is constexpr default-constructible).
template <class Format, class T>
concept ConstantWorstCase = requires {
  typename std::integral_constant<std::size_t, element_bits<Measurer<Format, Mode::max>, T>()>;
};

template <class Format, class T>
constexpr std::size_t worst_case_bytes() {
  if constexpr (ConstantWorstCase<Format, T>) {
    return bytes_for_bits(element_bits<Measurer<Format, Mode::max>, T>());
  } else {
    static_assert(dependent_false<T>,
                  "courier schema: the worst-case size cannot be computed at compile time; unless "
                  "an error above names the cause, declare serialize(Stream&) constexpr and make "
                  "the message constexpr default-constructible");
    return 0;
  }
}

/// Worst-case encoded size of T in bytes under `Format`, evaluated at compile time.
template <class Format, class T>
inline constexpr std::size_t max_bytes_v = worst_case_bytes<Format, T>();

/// max_bytes_v, or 0 without computing it when a field check already failed (one error, not two).
template <class Format, class T, bool FieldsChecked>
inline constexpr std::size_t checked_max_bytes_v = max_bytes_v<Format, T>;
template <class Format, class T>
inline constexpr std::size_t checked_max_bytes_v<Format, T, false> = 0;

}  // namespace courier::detail
