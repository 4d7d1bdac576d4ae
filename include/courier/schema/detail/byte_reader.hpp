#pragma once
/// \file
/// ByteReader: ByteAligned's bounded input stream over untrusted bytes. It never reads past the
/// end, keeps its first error (later reads yield 0 and consume nothing), and at the end demands
/// that every byte was consumed.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <system_error>

#include <courier/core/error.hpp>
#include <courier/schema/detail/format.hpp>
#include <courier/schema/detail/stream.hpp>

namespace courier::detail {

/// Reads little-endian byte-aligned values from untrusted input.
class ByteReader : public StreamOps<ByteReader> {
 public:
  using Format = ByteFormat;
  using MinMeasurer = Measurer<ByteFormat, Mode::min>;
  static constexpr Mode mode = Mode::read;

  explicit ByteReader(std::span<const std::byte> in) noexcept : in_(in) {}

  /// Reads `bits / 8` bytes into `value`; 0 and `truncated` when fewer remain.
  void value(std::uint64_t& value, unsigned bits) noexcept {
    value = 0;
    const std::size_t count = bits / 8;
    if (!take(count)) return;
    for (std::size_t i = 0; i < count; ++i) {
      value |= std::uint64_t{std::to_integer<std::uint8_t>(in_[position_ + i])} << (8 * i);
    }
    position_ += count;
  }
  /// Reads `count` raw bytes into `data`.
  void bytes(char* data, std::size_t count) noexcept {
    if (!take(count)) return;
    if (count != 0) std::memcpy(data, in_.data() + position_, count);
    position_ += count;
  }
  [[nodiscard]] std::size_t remaining_bits() const noexcept { return (in_.size() - position_) * 8; }
  [[nodiscard]] bool ok() const noexcept { return error_ == Error::ok; }
  /// Records `error` unless an earlier one is already recorded.
  void fail(Error error) noexcept {
    if (ok()) error_ = error;
  }
  /// The first error, else trailing_bytes when input is left over.
  [[nodiscard]] std::error_code finish() const noexcept {
    if (!ok()) return error_;
    if (position_ != in_.size()) return Error::trailing_bytes;
    return {};
  }

 private:
  bool take(std::size_t count) noexcept {
    if (!ok()) return false;
    if (count > in_.size() - position_) {
      fail(Error::truncated);
      return false;
    }
    return true;
  }

  std::span<const std::byte> in_;
  std::size_t position_ = 0;
  Error error_ = Error::ok;
};

}  // namespace courier::detail
