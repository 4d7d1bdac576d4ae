#pragma once
/// \file
/// `Ranged<T, Min, Max>`: an integer whose bounds are part of its type, so the wire carries only
/// the offset from Min, in as few bits (BitPacked) or bytes (ByteAligned) as the range needs.

#include <concepts>
#include <cstdint>
#include <type_traits>

namespace courier {

/// An integer field bounded to [Min, Max] at compile time.
///
/// - BitPacked spends ceil(log2(Max - Min + 1)) bits on it, ByteAligned the smallest of 1, 2, 4
///   or 8 bytes that holds Max - Min.
/// - It stores any T (assigning never fails, never throws); **encoding clamps** a value outside
///   [Min, Max] to the nearer bound, as bitsery's value_range does, because a sender cannot
///   usefully report the error mid-packet and the clamped value is the one the peer will see.
/// - **Decoding rejects** an offset beyond Max - Min with `Error::value_out_of_range`: the
///   receiver never sees a value outside its declared range.
///
/// It converts to and from T implicitly, so `msg.health = 42;` and `int h = msg.health;` work.
template <std::integral T, T Min, T Max>
  requires(!std::same_as<T, bool>)
class Ranged {
  static_assert(Min <= Max, "courier::Ranged<T, Min, Max>: Min must not be greater than Max");

 public:
  using value_type = T;
  static constexpr T min = Min;  ///< the smallest value the peer can receive
  static constexpr T max = Max;  ///< the largest value the peer can receive

  /// Max - Min as an unsigned 64-bit number (exact even for the full range of a 64-bit T).
  static constexpr std::uint64_t span =
      static_cast<std::uint64_t>(static_cast<std::make_unsigned_t<T>>(Max) -
                                 static_cast<std::make_unsigned_t<T>>(Min));

  /// Starts at Min, a value the peer can receive unchanged.
  constexpr Ranged() noexcept = default;
  /// Stores `value` as given; out-of-range values are clamped only when encoded.
  constexpr Ranged(T value) noexcept : value_(value) {}  // NOLINT: implicit on purpose

  constexpr operator T() const noexcept { return value_; }  // NOLINT: implicit on purpose
  /// The stored value (possibly outside [Min, Max] until encoded).
  [[nodiscard]] constexpr T value() const noexcept { return value_; }
  /// The value the peer will receive: the stored value clamped to [Min, Max].
  [[nodiscard]] constexpr T clamped() const noexcept {
    return value_ < Min ? Min : (value_ > Max ? Max : value_);
  }

 private:
  T value_ = Min;
};

}  // namespace courier
