#pragma once
/// \file
/// The two wire formats' size rules and the stream modes: the only facts the field code needs to
/// know about a format. A format never touches bytes; the streams do.

#include <bit>
#include <cstddef>
#include <cstdint>

namespace courier::detail {

/// What a stream does with the fields it visits. One `serialize` serves all five.
enum class Mode : std::uint8_t {
  write,    ///< copy field values into bytes
  read,     ///< copy bytes into fields, checking every bound
  measure,  ///< count the exact size of these values
  max,      ///< count the worst-case size of the type (bounded containers count their bound)
  min,      ///< count the smallest possible size of the type (containers count only their prefix)
};

/// All-ones in the low `bits` bits; valid for 0..64 (a plain shift by 64 is undefined).
[[nodiscard]] constexpr std::uint64_t low_mask(unsigned bits) noexcept {
  return bits >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
}

/// BitPacked: a value in [0, span] takes exactly as many bits as `span` needs; booleans one bit.
struct BitFormat {
  static constexpr unsigned bool_bits = 1;
  [[nodiscard]] static constexpr unsigned width(std::uint64_t span) noexcept {
    return static_cast<unsigned>(std::bit_width(span));
  }
};

/// ByteAligned: a value in [0, span] takes the smallest of 1, 2, 4 or 8 whole bytes, so that
/// every value starts on a byte and the reader can use plain little-endian loads.
struct ByteFormat {
  static constexpr unsigned bool_bits = 8;
  [[nodiscard]] static constexpr unsigned width(std::uint64_t span) noexcept {
    if (span <= 0xffu) return 8;
    if (span <= 0xffffu) return 16;
    if (span <= 0xffffffffu) return 32;
    return 64;
  }
};

/// Bytes needed for `bits` bits.
[[nodiscard]] constexpr std::size_t bytes_for_bits(std::size_t bits) noexcept {
  return (bits + 7) / 8;
}

}  // namespace courier::detail
