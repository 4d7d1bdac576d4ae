#pragma once
/// \file
/// `Quantized<Min, Max, Bits>`: a float sent as one of 2^Bits evenly spaced steps across
/// [Min, Max] (positions, angles, health bars), as yojimbo's serialize_compressed_float does.

#include <cmath>
#include <cstdint>

namespace courier {

/// A float field in [Min, Max] quantized to `Bits` bits (1..32).
///
/// Min and Max are integers because clang 14 has no floating-point template parameters; scale
/// the value yourself if you need finer bounds. Encoding clamps to [Min, Max] (NaN becomes Min)
/// and rounds to the nearest step; decoding rejects a step index above 2^Bits - 1 (possible only
/// in ByteAligned, which rounds Bits up to whole bytes) with `Error::value_out_of_range`.
/// Use `quantize` / `dequantize` to see locally the exact value the peer will receive.
template <int Min, int Max, unsigned Bits>
class Quantized {
  static_assert(Min < Max, "courier::Quantized<Min, Max, Bits>: Min must be less than Max");
  static_assert(Bits >= 1 && Bits <= 32, "courier::Quantized<Min, Max, Bits>: Bits must be 1..32");

 public:
  static constexpr int min = Min;
  static constexpr int max = Max;
  static constexpr unsigned bits = Bits;
  /// The largest step index.
  static constexpr std::uint32_t max_step = static_cast<std::uint32_t>((std::uint64_t{1} << Bits) - 1);
  /// The distance between two neighbouring representable values.
  static constexpr double step = (static_cast<double>(Max) - Min) / max_step;

  /// Starts at Min, which is exactly representable.
  constexpr Quantized() noexcept = default;
  constexpr Quantized(float value) noexcept : value_(value) {}  // NOLINT: implicit on purpose

  constexpr operator float() const noexcept { return value_; }  // NOLINT: implicit on purpose
  /// The stored value, as assigned (not yet quantized).
  [[nodiscard]] constexpr float value() const noexcept { return value_; }

  /// The step index `value` is sent as: clamped to [Min, Max], NaN as Min, rounded to nearest.
  [[nodiscard]] static std::uint32_t quantize(double value) noexcept {
    if (!(value > Min)) return 0;  // also catches NaN, for which every comparison is false
    if (value >= Max) return max_step;
    const double scaled = (value - Min) / (static_cast<double>(Max) - Min) * max_step;
    return static_cast<std::uint32_t>(std::llround(scaled));
  }
  /// The value a peer decodes from step index `q` (q <= max_step).
  [[nodiscard]] static constexpr float dequantize(std::uint32_t q) noexcept {
    return static_cast<float>(Min + q * step);
  }

 private:
  float value_ = static_cast<float>(Min);
};

}  // namespace courier
