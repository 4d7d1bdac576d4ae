#pragma once
/// \file
/// BitReader: BitPacked's bounded input stream over untrusted bytes. It never reads past the
/// end, keeps its first error (later reads yield 0 and consume nothing), and at the end demands
/// that only the final byte's padding bits remain and that they are zero.

#include <cstddef>
#include <cstdint>
#include <span>
#include <system_error>

#include "courier/core/error.hpp"
#include "courier/schema/detail/format.hpp"
#include "courier/schema/detail/stream.hpp"

namespace courier::detail {

/// Reads bit-packed values (least-significant bit first, see BitWriter) from untrusted input.
class BitReader : public StreamOps<BitReader> {
 public:
  using Format = BitFormat;
  using MinMeasurer = Measurer<BitFormat, Mode::min>;
  static constexpr Mode mode = Mode::read;

  explicit BitReader(std::span<const std::byte> in) noexcept : in_(in) {}

  /// Reads `bits` (0..64) bits into `value`; 0 and `truncated` when fewer remain.
  void value(std::uint64_t& value, unsigned bits) noexcept {
    value = 0;
    if (!take_check(bits)) return;
    if (bits > 32) {
      value = take(32);
      value |= take(bits - 32) << 32;
    } else {
      value = take(bits);
    }
  }
  /// Reads `count` raw bytes into `data`.
  void bytes(char* data, std::size_t count) noexcept {
    if (count > remaining_bits() / 8 || !take_check(8 * count)) {
      fail(Error::truncated);
      return;
    }
    for (std::size_t i = 0; i < count; ++i) data[i] = static_cast<char>(take(8));
  }
  [[nodiscard]] std::size_t remaining_bits() const noexcept { return in_.size() * 8 - consumed_bits_; }
  [[nodiscard]] bool ok() const noexcept { return error_ == Error::ok; }
  /// Records `error` unless an earlier one is already recorded: the first cause is the one
  /// worth reporting.
  void fail(Error error) noexcept {
    if (ok()) error_ = error;
  }

  /// The first error; else trailing_bytes when a whole byte is left, malformed when the
  /// padding bits of the last byte are not zero.
  std::error_code finish() noexcept {
    if (!ok()) return error_;
    const std::size_t left = remaining_bits();
    if (left >= 8) return Error::trailing_bytes;
    std::uint64_t padding = 0;
    value(padding, static_cast<unsigned>(left));
    if (padding != 0) return Error::malformed;
    return {};
  }

 private:
  bool take_check(std::size_t bits) noexcept {
    if (!ok()) return false;
    if (bits > remaining_bits()) {
      fail(Error::truncated);
      return false;
    }
    consumed_bits_ += bits;
    return true;
  }
  std::uint64_t take(unsigned bits) noexcept {  // bits <= 32, known to be available
    if (scratch_bits_ < bits) refill();
    const std::uint64_t result = scratch_ & low_mask(bits);
    scratch_ >>= bits;
    scratch_bits_ -= bits;
    return result;
  }
  void refill() noexcept {  // called with scratch_bits_ < 32
    if (in_.size() - next_byte_ >= 4) {
      std::uint64_t word = 0;
      for (int i = 0; i < 4; ++i) word |= std::uint64_t{std::to_integer<std::uint8_t>(in_[next_byte_ + i])} << (8 * i);
      scratch_ |= word << scratch_bits_;
      scratch_bits_ += 32;
      next_byte_ += 4;
      return;
    }
    while (next_byte_ < in_.size()) {  // the last 1..3 bytes
      scratch_ |= std::uint64_t{std::to_integer<std::uint8_t>(in_[next_byte_++])} << scratch_bits_;
      scratch_bits_ += 8;
    }
  }

  std::span<const std::byte> in_;
  std::uint64_t scratch_ = 0;
  unsigned scratch_bits_ = 0;
  std::size_t next_byte_ = 0;
  std::size_t consumed_bits_ = 0;
  Error error_ = Error::ok;
};

}  // namespace courier::detail
