#pragma once
/// \file
/// ByteWriter: ByteAligned's output stream: every value is whole little-endian bytes.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include <courier/core/error.hpp>
#include <courier/schema/detail/format.hpp>
#include <courier/schema/detail/stream.hpp>
#include <courier/schema/schema.hpp>

namespace courier::detail {

/// Writes byte-aligned values into a caller's buffer; the first error (buffer_too_small) sticks.
class ByteWriter : public StreamOps<ByteWriter> {
 public:
  using Format = ByteFormat;
  static constexpr Mode mode = Mode::write;

  explicit ByteWriter(std::span<std::byte> out) noexcept : out_(out) {}

  /// Appends `bits / 8` bytes of `value`, least significant first (bits is 8, 16, 32 or 64).
  void value(std::uint64_t& value, unsigned bits) noexcept {
    const std::size_t count = bits / 8;
    if (!reserve(count)) return;
    for (std::size_t i = 0; i < count; ++i) out_[position_ + i] = static_cast<std::byte>(value >> (8 * i));
    position_ += count;
  }
  /// Appends `count` raw bytes.
  void bytes(char* data, std::size_t count) noexcept {
    if (!reserve(count)) return;
    if (count != 0) std::memcpy(out_.data() + position_, data, count);
    position_ += count;
  }
  [[nodiscard]] bool ok() const noexcept { return error_ == Error::ok; }
  void fail(Error error) noexcept {
    if (ok()) error_ = error;
  }
  /// The size written, or the first error.
  [[nodiscard]] EncodeResult finish() const noexcept {
    if (!ok()) return {0, error_};
    return {position_, {}};
  }

 private:
  bool reserve(std::size_t count) noexcept {
    if (!ok()) return false;
    if (count > out_.size() - position_) {
      fail(Error::buffer_too_small);
      return false;
    }
    return true;
  }

  std::span<std::byte> out_;
  std::size_t position_ = 0;
  Error error_ = Error::ok;
};

}  // namespace courier::detail
