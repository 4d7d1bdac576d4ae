#pragma once
/// \file
/// The Schema operations written once over a (Format, Writer, Reader) triple; BitPacked and
/// ByteAligned are this template with their own streams.

#include <concepts>
#include <cstddef>
#include <span>
#include <system_error>

#include "courier/schema/detail/fields.hpp"
#include "courier/schema/detail/format.hpp"
#include "courier/schema/detail/stream.hpp"
#include "courier/schema/schema.hpp"

namespace courier::detail {

/// encode / decode / measure / max_bytes for one wire format.
template <class Format, class Writer, class Reader>
struct Codec {
  /// Worst-case encoded size of T, computed at compile time.
  template <std::default_initializable T>
  static constexpr std::size_t max_bytes = max_bytes_v<Format, T>;

  /// Writes `msg` into `out`: its size, or buffer_too_small (nothing useful in `out` then).
  /// The const_cast exists because one serialize function serves reading and writing, so it
  /// takes its fields by non-const reference; it is safe because a writing stream only ever
  /// reads the fields it is handed (it copies them into locals before encoding).
  template <std::default_initializable T>
  [[nodiscard]] static EncodeResult encode(const T& msg, std::span<std::byte> out) noexcept {
    Writer writer(out);
    serialize_field(writer, const_cast<T&>(msg));  // NOLINT: read-only, see above
    return writer.finish();
  }

  /// Reads `msg` from untrusted `in`: bounded, first error kept, all input consumed.
  /// On failure `msg` may be partially overwritten; do not use it.
  template <std::default_initializable T>
  [[nodiscard]] static std::error_code decode(std::span<const std::byte> in, T& msg) noexcept {
    Reader reader(in);
    serialize_field(reader, msg);
    return reader.finish();
  }

  /// The exact number of bytes `encode(msg, ...)` writes.
  template <std::default_initializable T>
  [[nodiscard]] static std::size_t measure(const T& msg) noexcept {
    Measurer<Format, Mode::measure> measurer;
    serialize_field(measurer, const_cast<T&>(msg));  // NOLINT: read-only, as in encode
    return bytes_for_bits(measurer.bits());
  }
};

}  // namespace courier::detail
