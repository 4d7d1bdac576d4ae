#pragma once
/// \file
/// Bounded little-endian byte writer and reader for the payload format. Both keep a sticky
/// first error (as bitsery does): after one out-of-bounds step every later step is a no-op, and
/// the caller checks `ok()` once at the end. Reading never allocates and never trusts a length
/// before checking it against the bytes that remain.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

namespace courier::detail {

/// Bytes a LEB128 varint of `v` takes (1 .. 5).
[[nodiscard]] constexpr std::size_t varint_size(std::uint32_t v) noexcept {
  std::size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

/// Writes into a caller's span; fails (sticky) instead of overrunning it.
class WireWriter {
 public:
  explicit WireWriter(std::span<std::byte> out) noexcept : out_(out) {}

  void u8(std::uint8_t v) noexcept {
    if (reserve(1)) out_[pos_++] = std::byte{v};
  }
  void u16(std::uint16_t v) noexcept {
    if (!reserve(2)) return;
    out_[pos_++] = std::byte(v & 0xFF);
    out_[pos_++] = std::byte(v >> 8);
  }
  void varint(std::uint32_t v) noexcept {
    if (!reserve(varint_size(v))) return;
    while (v >= 0x80) {
      out_[pos_++] = std::byte((v & 0x7F) | 0x80);
      v >>= 7;
    }
    out_[pos_++] = std::byte(v);
  }
  void bytes(std::span<const std::byte> b) noexcept {
    if (!reserve(b.size())) return;
    if (!b.empty()) std::memcpy(out_.data() + pos_, b.data(), b.size());
    pos_ += b.size();
  }

  [[nodiscard]] bool ok() const noexcept { return !failed_; }
  [[nodiscard]] std::size_t size() const noexcept { return pos_; }
  [[nodiscard]] std::size_t remaining() const noexcept { return out_.size() - pos_; }

 private:
  bool reserve(std::size_t n) noexcept {
    if (failed_ || out_.size() - pos_ < n) {
      failed_ = true;
      return false;
    }
    return true;
  }

  std::span<std::byte> out_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

/// Reads from untrusted bytes; a short or over-long field fails (sticky) and yields zeros.
class WireReader {
 public:
  explicit WireReader(std::span<const std::byte> in) noexcept : in_(in) {}

  std::uint8_t u8() noexcept {
    if (!need(1)) return 0;
    return std::to_integer<std::uint8_t>(in_[pos_++]);
  }
  std::uint16_t u16() noexcept {
    if (!need(2)) return 0;
    const auto lo = std::to_integer<std::uint16_t>(in_[pos_]);
    const auto hi = std::to_integer<std::uint16_t>(in_[pos_ + 1]);
    pos_ += 2;
    return static_cast<std::uint16_t>(lo | (hi << 8));
  }
  /// A LEB128 value of at most five bytes that fits 32 bits.
  std::uint32_t varint() noexcept {
    std::uint32_t v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      const std::uint8_t b = u8();
      if (failed_) return 0;
      if (shift == 28 && (b & 0x70) != 0) break;  // bits beyond 32
      v |= static_cast<std::uint32_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) return v;
    }
    failed_ = true;
    return 0;
  }
  /// A view of the next `n` bytes, checked against what remains before anything is touched.
  std::span<const std::byte> bytes(std::size_t n) noexcept {
    if (!need(n)) return {};
    auto view = in_.subspan(pos_, n);
    pos_ += n;
    return view;
  }

  [[nodiscard]] bool ok() const noexcept { return !failed_; }
  [[nodiscard]] bool empty() const noexcept { return pos_ == in_.size(); }
  [[nodiscard]] std::size_t remaining() const noexcept { return in_.size() - pos_; }
  [[nodiscard]] std::size_t position() const noexcept { return pos_; }
  void fail() noexcept { failed_ = true; }

 private:
  bool need(std::size_t n) noexcept {
    if (failed_ || in_.size() - pos_ < n) {
      failed_ = true;
      return false;
    }
    return true;
  }

  std::span<const std::byte> in_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

}  // namespace courier::detail
