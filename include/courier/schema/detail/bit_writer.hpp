#pragma once
/// \file
/// BitWriter: BitPacked's output stream. Bits go least-significant first into a 64-bit scratch
/// word that is stored as little-endian 32-bit words (as in reliable.io and bitsery), so bit i
/// of the stream is bit i % 8 of byte i / 8 and the output is exactly ceil(bits / 8) bytes.

#include <cstddef>
#include <cstdint>
#include <span>

#include "courier/core/error.hpp"
#include "courier/schema/detail/format.hpp"
#include "courier/schema/detail/stream.hpp"
#include "courier/schema/schema.hpp"

namespace courier::detail {

/// Writes bit-packed values into a caller's buffer; the first error (buffer_too_small) sticks.
class BitWriter : public StreamOps<BitWriter> {
 public:
  using Format = BitFormat;
  static constexpr Mode mode = Mode::write;

  explicit BitWriter(std::span<std::byte> out) noexcept : out_(out) {}

  /// Appends the low `bits` (0..64) bits of `value`.
  void value(std::uint64_t& value, unsigned bits) noexcept {
    if (!reserve(bits)) return;
    if (bits > 32) {
      put(value & 0xffffffffu, 32);
      put(value >> 32, bits - 32);
    } else {
      put(value, bits);
    }
  }
  /// Appends `count` raw bytes, 8 bits each.
  void bytes(char* data, std::size_t count) noexcept {
    if (!reserve(8 * count)) return;
    for (std::size_t i = 0; i < count; ++i) put(static_cast<unsigned char>(data[i]), 8);
  }
  [[nodiscard]] bool ok() const noexcept { return error_ == Error::ok; }
  void fail(Error error) noexcept {
    if (ok()) error_ = error;
  }

  /// Flushes the partial last byte (padding bits zero) and reports the size or the first error.
  EncodeResult finish() noexcept {
    if (!ok()) return {0, error_};
    for (; scratch_bits_ > 0; scratch_bits_ -= scratch_bits_ >= 8 ? 8 : scratch_bits_) {
      out_[next_byte_++] = static_cast<std::byte>(scratch_ & 0xffu);
      scratch_ >>= 8;
    }
    return {bytes_for_bits(written_bits_), {}};
  }

 private:
  // Checking the whole size up front is what lets put() store without a bounds check.
  bool reserve(std::size_t bits) noexcept {
    if (!ok()) return false;
    if (bits > out_.size() * 8 - written_bits_) {
      fail(Error::buffer_too_small);
      return false;
    }
    written_bits_ += bits;
    return true;
  }
  void put(std::uint64_t value, unsigned bits) noexcept {  // bits <= 32; scratch holds <= 31
    scratch_ |= (value & low_mask(bits)) << scratch_bits_;
    scratch_bits_ += bits;
    if (scratch_bits_ >= 32) {
      for (int i = 0; i < 4; ++i) out_[next_byte_++] = static_cast<std::byte>(scratch_ >> (8 * i));
      scratch_ >>= 32;
      scratch_bits_ -= 32;
    }
  }

  std::span<std::byte> out_;
  std::uint64_t scratch_ = 0;
  unsigned scratch_bits_ = 0;
  std::size_t next_byte_ = 0;
  std::size_t written_bits_ = 0;
  Error error_ = Error::ok;
};

}  // namespace courier::detail
