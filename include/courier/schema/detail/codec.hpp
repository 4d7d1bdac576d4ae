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
#include "courier/schema/detail/sendable.hpp"
#include "courier/schema/detail/stream.hpp"
#include "courier/schema/schema.hpp"

namespace courier::detail {

/// The schema's rule for one field: field number `Field` (counting from 0, in declaration
/// order) of struct `Message` has type `Type`. Instantiated for the first refused field only
/// (see sendable.hpp), so its arguments name the culprit in the compiler's "in instantiation
/// of" line, right above the sentence.
template <class Message, std::size_t Field, class Type>
struct MessageFieldIsSendable {
  using core = typename UnsendableCore<std::remove_const_t<Type>>::type;
  // Each sentence names the fix; the arguments of this template name the field.
  static_assert(!std::is_const_v<Type>, "courier schema: a message field is const and cannot be "
                "decoded into; make it non-const (MessageFieldIsSendable<message, field number "
                "from 0, field type> above names it)");
  static_assert(!is_std_string<core>, "courier schema: a message field is a std::string, which "
                "has no bound a receiver could enforce; use courier::BoundedString<N> instead "
                "(MessageFieldIsSendable<message, field number from 0, field type> names it)");
  static_assert(!is_std_vector<core>, "courier schema: a message field is a std::vector, which "
                "has no bound a receiver could enforce; use courier::BoundedVector<T, N> instead "
                "(MessageFieldIsSendable<message, field number from 0, field type> names it)");
  static_assert(!std::is_pointer_v<core>, "courier schema: a message field is a pointer, which "
                "cannot be sent; send the value (MessageFieldIsSendable<message, field number "
                "from 0, field type> names it)");
  static_assert(!std::is_union_v<core>, "courier schema: a message field is a union, which cannot "
                "be sent; use std::optional (MessageFieldIsSendable<message, field number from "
                "0, field type> names it)");
  static_assert(!std::is_enum_v<core> || FixedEnum<core>, "courier schema: a message field is an "
                "enum without a fixed underlying type; write enum E : std::uint8_t so that its "
                "size and range on the wire are defined (MessageFieldIsSendable<message, field "
                "number from 0, field type> names it)");
  static_assert(std::is_void_v<Message> || std::is_const_v<Type> || is_std_string<core> ||
                    is_std_vector<core> || std::is_pointer_v<core> || std::is_union_v<core> ||
                    std::is_enum_v<core>,
                "courier schema: a message field has an unsupported type; use bool, an integer, "
                "an enum, float, double, courier::Ranged, courier::Quantized, "
                "courier::BoundedString<N>, courier::BoundedVector<T, N>, std::array, "
                "std::optional, a nested struct, or give the type a serialize(Stream&) function "
                "(MessageFieldIsSendable<message, field number from 0, field type> names it)");
};

/// encode / decode / measure / max_bytes for one wire format.
template <class Format, class Writer, class Reader>
struct Codec {
  /// Worst-case encoded size of T, computed at compile time. The field check runs first; when
  /// it refuses a field, the worst case is not computed (one error, not two).
  template <std::default_initializable T>
  static constexpr std::size_t max_bytes = checked_max_bytes_v<
      Format, T, sizeof(first_unsendable_t<Measurer<Format, Mode::max>, T>) != 0 &&
                     sendable<Measurer<Format, Mode::max>, T>()>;

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
