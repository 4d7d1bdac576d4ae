#pragma once
/// \file
/// Bounded little-endian byte writing and reading for the netcode wire formats. Both carry a
/// sticky failure flag (bitsery-style): once a read or write would cross the end, every later
/// call is a no-op and `ok()` stays false, so a parser checks once at the end.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

namespace courier::netcode::detail {

/// Writes into a fixed span; never writes past its end.
class ByteWriter {
 public:
  explicit ByteWriter(std::span<std::byte> out) noexcept : out_(out) {}

  void u8(std::uint8_t v) noexcept { uint(v, 1); }
  void u16(std::uint16_t v) noexcept { uint(v, 2); }
  void u32(std::uint32_t v) noexcept { uint(v, 4); }
  void u64(std::uint64_t v) noexcept { uint(v, 8); }

  /// Writes the low `n` bytes of `v`, least significant first.
  void uint(std::uint64_t v, std::size_t n) noexcept {
    if (!reserve(n)) return;
    for (std::size_t i = 0; i < n; ++i) out_[pos_ + i] = static_cast<std::byte>(v >> (8 * i));
    pos_ += n;
  }
  void bytes(const void* data, std::size_t n) noexcept {
    if (!reserve(n)) return;
    if (n != 0) std::memcpy(out_.data() + pos_, data, n);
    pos_ += n;
  }
  void zeros(std::size_t n) noexcept {
    if (!reserve(n)) return;
    if (n != 0) std::memset(out_.data() + pos_, 0, n);
    pos_ += n;
  }

  /// Marks the output as invalid (a value that has no encoding).
  void fail() noexcept { ok_ = false; }

  [[nodiscard]] bool ok() const noexcept { return ok_; }
  [[nodiscard]] std::size_t position() const noexcept { return pos_; }

 private:
  bool reserve(std::size_t n) noexcept {
    if (!ok_ || n > out_.size() - pos_) ok_ = false;
    return ok_;
  }
  std::span<std::byte> out_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

/// Reads from a fixed span; a read past the end yields zeros and clears `ok()`.
class ByteReader {
 public:
  explicit ByteReader(std::span<const std::byte> in) noexcept : in_(in) {}

  std::uint8_t u8() noexcept { return static_cast<std::uint8_t>(uint(1)); }
  std::uint16_t u16() noexcept { return static_cast<std::uint16_t>(uint(2)); }
  std::uint32_t u32() noexcept { return static_cast<std::uint32_t>(uint(4)); }
  std::uint64_t u64() noexcept { return uint(8); }

  /// Reads `n` bytes, least significant first.
  std::uint64_t uint(std::size_t n) noexcept {
    if (!take(n)) return 0;
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i)
      v |= static_cast<std::uint64_t>(in_[pos_ + i]) << (8 * i);
    pos_ += n;
    return v;
  }
  void bytes(void* out, std::size_t n) noexcept {
    if (!take(n)) {
      if (n != 0) std::memset(out, 0, n);
      return;
    }
    if (n != 0) std::memcpy(out, in_.data() + pos_, n);
    pos_ += n;
  }
  /// The next `n` bytes without copying; empty on failure.
  std::span<const std::byte> view(std::size_t n) noexcept {
    if (!take(n)) return {};
    auto s = in_.subspan(pos_, n);
    pos_ += n;
    return s;
  }

  [[nodiscard]] bool ok() const noexcept { return ok_; }
  [[nodiscard]] std::size_t position() const noexcept { return pos_; }
  [[nodiscard]] std::size_t remaining() const noexcept { return in_.size() - pos_; }

 private:
  bool take(std::size_t n) noexcept {
    if (!ok_ || n > in_.size() - pos_) ok_ = false;
    return ok_;
  }
  std::span<const std::byte> in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace courier::netcode::detail
