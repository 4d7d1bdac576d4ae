#pragma once
/// \file
/// `ByteAligned`: the fast Schema. Every field is whole little-endian bytes.

#include <cstddef>
#include <cstdint>
#include <span>
#include <system_error>

#include "courier/core/byte_cursor.hpp"
#include "courier/core/error.hpp"
#include "courier/schema/detail/codec.hpp"
#include "courier/schema/detail/format.hpp"
#include "courier/schema/detail/stream.hpp"
#include "courier/schema/schema.hpp"

namespace courier::detail {

/// ByteAligned's output stream: the schema's calls on the core ByteWriter, whose first error
/// (buffer_too_small) sticks.
class ByteAlignedWriter : public StreamOps<ByteAlignedWriter> {
 public:
  using Format = ByteFormat;
  static constexpr Mode mode = Mode::write;

  explicit ByteAlignedWriter(std::span<std::byte> out) noexcept : out_(out) {}

  /// Appends `bits / 8` bytes of `value`, least significant first (bits is 8, 16, 32 or 64).
  void value(std::uint64_t& value, unsigned bits) noexcept { out_.uint(value, bits / 8); }
  void bytes(char* data, std::size_t count) noexcept { out_.bytes(data, count); }
  [[nodiscard]] bool ok() const noexcept { return out_.ok(); }
  void fail(Error error) noexcept { out_.fail(error); }
  /// The size written, or the first error.
  [[nodiscard]] EncodeResult finish() const noexcept {
    if (!out_.ok()) return {0, out_.error()};
    return {out_.position(), {}};
  }

 private:
  ByteWriter out_;
};

/// ByteAligned's input stream: the schema's calls on the core ByteReader over untrusted bytes.
/// It never reads past the end, keeps the first error (later reads yield 0 and consume
/// nothing), and at the end demands that every byte was consumed.
class ByteAlignedReader : public StreamOps<ByteAlignedReader> {
 public:
  using Format = ByteFormat;
  using MinMeasurer = Measurer<ByteFormat, Mode::min>;
  static constexpr Mode mode = Mode::read;

  explicit ByteAlignedReader(std::span<const std::byte> in) noexcept : in_(in) {}

  /// Reads `bits / 8` bytes into `value`; 0 and `truncated` when fewer remain.
  void value(std::uint64_t& value, unsigned bits) noexcept { value = in_.uint(bits / 8); }
  void bytes(char* data, std::size_t count) noexcept { in_.bytes(data, count); }
  [[nodiscard]] std::size_t remaining_bits() const noexcept { return in_.remaining() * 8; }
  [[nodiscard]] bool ok() const noexcept { return in_.ok(); }
  void fail(Error error) noexcept { in_.fail(error); }
  /// The first error, else trailing_bytes when input is left over.
  [[nodiscard]] std::error_code finish() const noexcept { return in_.finish(); }

 private:
  ByteReader in_;
};

}  // namespace courier::detail

namespace courier {

/// The fast message schema (a model of `Schema`): little-endian bytes, no bit shuffling.
///
/// | field                              | bytes on the wire                                 |
/// |------------------------------------|---------------------------------------------------|
/// | bool                               | 1 (a byte other than 0 or 1 is value_out_of_range) |
/// | integer, enum (underlying), float, double | its full width                             |
/// | `Ranged<T, Min, Max>`              | smallest of 1, 2, 4, 8 holding Max - Min          |
/// | `Quantized<Min, Max, Bits>`        | smallest of 1, 2, 4 holding Bits bits             |
/// | `BoundedString<N>`                 | length in the smallest of 1, 2, 4, 8 holding N, then the bytes |
/// | `BoundedVector<T, N>`              | length as for strings, then the elements          |
/// | `std::array<T, N>`                 | N elements, no length                             |
/// | `std::optional<T>`                 | 1 presence byte (0 or 1), then T if present       |
///
/// A decode that leaves any byte unread fails with `trailing_bytes`.
struct ByteAligned
    : detail::Codec<detail::ByteFormat, detail::ByteAlignedWriter, detail::ByteAlignedReader> {};

}  // namespace courier
