#pragma once
/// \file
/// ByteWriter and ByteReader: the one bounded little-endian byte cursor every layer writes and
/// reads its wire formats with (netcode tokens and packets, the reliable header, the channel
/// payload, the ByteAligned schema).
///
/// Both keep a sticky first error, as bitsery's buffer adapter does: a step that would cross the
/// end does nothing (a read yields zeros), and so does every step after it, so a parser checks
/// once at the end instead of after every field. The error is a `courier::Error`:
/// `buffer_too_small` when a write does not fit, `truncated` when the input ends early,
/// `malformed` for a varint that does not fit 32 bits, or whatever the caller passed to
/// `fail()` first. A reader's `finish()` also demands that every byte was consumed
/// (`trailing_bytes`). Nothing here allocates, throws or trusts a length before checking it
/// against what remains.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <system_error>

#include "courier/core/error.hpp"
#include "courier/core/little_endian.hpp"

namespace courier::detail {

/// Bytes the LEB128 varint of `v` takes (1 .. 5).
[[nodiscard]] constexpr std::size_t varint_size(std::uint32_t v) noexcept {
  std::size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

/// Writes into a caller's span; never writes past its end.
class ByteWriter {
 public:
  explicit ByteWriter(std::span<std::byte> out) noexcept : out_(out) {}

  void u8(std::uint8_t v) noexcept { put(v); }
  void u16(std::uint16_t v) noexcept { put(v); }
  void u32(std::uint32_t v) noexcept { put(v); }
  void u64(std::uint64_t v) noexcept { put(v); }

  /// The low `n` (0..8) bytes of `v`, least significant first.
  void uint(std::uint64_t v, std::size_t n) noexcept {
    if (!reserve(n)) return;
    for (std::size_t i = 0; i < n; ++i) out_[pos_ + i] = static_cast<std::byte>(v >> (8 * i));
    pos_ += n;
  }
  /// A LEB128 varint: seven bits a byte, low bits first, the top bit set on all but the last.
  void varint(std::uint32_t v) noexcept {
    if (!reserve(varint_size(v))) return;
    while (v >= 0x80) {
      out_[pos_++] = static_cast<std::byte>((v & 0x7F) | 0x80);
      v >>= 7;
    }
    out_[pos_++] = static_cast<std::byte>(v);
  }
  void bytes(std::span<const std::byte> b) noexcept { bytes(b.data(), b.size()); }
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

  /// Records `error` (a value that has no encoding) unless an earlier error is recorded.
  void fail(Error error) noexcept {
    if (ok()) error_ = error;
  }

  [[nodiscard]] bool ok() const noexcept { return error_ == Error::ok; }
  /// The first error, or Error::ok.
  [[nodiscard]] Error error() const noexcept { return error_; }
  /// Bytes written so far.
  [[nodiscard]] std::size_t position() const noexcept { return pos_; }
  [[nodiscard]] std::size_t remaining() const noexcept { return out_.size() - pos_; }

 private:
  template <class U>
  void put(U v) noexcept {
    if (!reserve(sizeof(U))) return;
    put_le(out_.data() + pos_, v);  // bounds checked by reserve
    pos_ += sizeof(U);
  }
  bool reserve(std::size_t n) noexcept {
    if (!ok()) return false;
    if (n > out_.size() - pos_) {
      error_ = Error::buffer_too_small;
      return false;
    }
    return true;
  }

  std::span<std::byte> out_;
  std::size_t pos_ = 0;
  Error error_ = Error::ok;
};

/// Reads untrusted bytes; a read past the end yields zeros and records `truncated`.
class ByteReader {
 public:
  explicit ByteReader(std::span<const std::byte> in) noexcept : in_(in) {}

  std::uint8_t u8() noexcept { return get<std::uint8_t>(); }
  std::uint16_t u16() noexcept { return get<std::uint16_t>(); }
  std::uint32_t u32() noexcept { return get<std::uint32_t>(); }
  std::uint64_t u64() noexcept { return get<std::uint64_t>(); }

  /// `n` (0..8) bytes, least significant first.
  std::uint64_t uint(std::size_t n) noexcept {
    if (!take(n)) return 0;
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i)
      v |= std::uint64_t{std::to_integer<std::uint8_t>(in_[pos_ + i])} << (8 * i);
    pos_ += n;
    return v;
  }
  /// A LEB128 varint of at most five bytes whose value fits 32 bits; else 0 and `malformed`.
  std::uint32_t varint() noexcept {
    std::uint32_t v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      const std::uint8_t b = u8();
      if (!ok()) return 0;
      if (shift == 28 && (b & 0x70) != 0) break;  // bits beyond 32
      v |= static_cast<std::uint32_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) return v;
    }
    fail(Error::malformed);
    return 0;
  }
  /// Copies the next `n` bytes into `out`; zeros there on failure.
  void bytes(void* out, std::size_t n) noexcept {
    if (n == 0) return;
    if (!take(n)) {
      std::memset(out, 0, n);
      return;
    }
    std::memcpy(out, in_.data() + pos_, n);
    pos_ += n;
  }
  /// The next `n` bytes without copying (a view into the input); empty on failure.
  std::span<const std::byte> view(std::size_t n) noexcept {
    if (!take(n)) return {};
    const auto s = in_.subspan(pos_, n);
    pos_ += n;
    return s;
  }

  /// Records `error` (a value the format forbids) unless an earlier error is recorded.
  void fail(Error error) noexcept {
    if (ok()) error_ = error;
  }

  [[nodiscard]] bool ok() const noexcept { return error_ == Error::ok; }
  /// The first error, or Error::ok.
  [[nodiscard]] Error error() const noexcept { return error_; }
  /// Bytes consumed so far.
  [[nodiscard]] std::size_t position() const noexcept { return pos_; }
  [[nodiscard]] std::size_t remaining() const noexcept { return in_.size() - pos_; }
  /// True when every byte has been consumed.
  [[nodiscard]] bool at_end() const noexcept { return pos_ == in_.size(); }
  /// Success means no error and nothing left: the first error, else `trailing_bytes` when input
  /// is left over, else no error.
  [[nodiscard]] std::error_code finish() const noexcept {
    if (!ok()) return error_;
    if (!at_end()) return Error::trailing_bytes;
    return {};
  }

 private:
  template <class U>
  U get() noexcept {
    if (!take(sizeof(U))) return 0;
    const U v = get_le<U>(in_.data() + pos_);  // bounds checked by take
    pos_ += sizeof(U);
    return v;
  }
  bool take(std::size_t n) noexcept {
    if (!ok()) return false;
    if (n > in_.size() - pos_) {
      error_ = Error::truncated;
      return false;
    }
    return true;
  }

  std::span<const std::byte> in_;
  std::size_t pos_ = 0;
  Error error_ = Error::ok;
};

}  // namespace courier::detail
