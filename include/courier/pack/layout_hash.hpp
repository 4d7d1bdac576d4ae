#pragma once
/// \file
/// The layout hash of a message type: a 64-bit digest, computed at compile time, of what the
/// shipped schemas put on the wire for it. It is the message's part of the pack's schema hash.
///
/// A message's layout is the sequence of its encoded fields, in the order the schema visits
/// them, each with the parameters that decide its encoding and the values a receiver accepts:
///
/// | field                                  | what the layout records                        |
/// |----------------------------------------|------------------------------------------------|
/// | bool                                   | bool                                           |
/// | char                                   | char (not its signedness, which is the platform's) |
/// | other integers                         | signedness and width                           |
/// | enum with a fixed underlying type      | its underlying type, as that integer           |
/// | float, double                          | IEEE-754 width                                 |
/// | `Ranged<T, Min, Max>`, `s.ranged<Min, Max>(x)` | Min and Max as numbers (not T)         |
/// | `Quantized<Min, Max, Bits>`, `s.quantized<Min, Max, Bits>(x)` | Min, Max and Bits (not the float type) |
/// | `BoundedString<N>`                     | N                                              |
/// | `BoundedVector<T, N>`                  | N and the layout of T (not the allocator)      |
/// | `std::array<T, N>`                     | N and the layout of T                          |
/// | `std::optional<T>`                     | the layout of T                                |
/// | nested aggregate                       | its fields' layouts, in declaration order      |
/// | struct with `serialize(Stream&)`       | what serialize visits (run at compile time)    |
///
/// Names are not on the wire, so they are not in the layout: renaming a field or the struct,
/// or moving it to another namespace, keeps the hash. Grouping fields into a nested struct, or
/// replacing reflection by a serialize function that visits the same fields, keeps it too:
/// the bytes are the same. (Containers are the exception: `std::array<T, N>` records T once and
/// N, not N copies of T, so the walk stays as short as the type; it differs from N separate
/// fields of type T although the bytes match.) The values of an enum's enumerators are not recorded (C++20 cannot
/// list them, and a decode does not check them); change the pack's Version when their meaning
/// changes.
///
/// A serialize function sees a `LayoutStream`: besides the three documented calls
/// (`s(fields...)`, `s.ranged<Min, Max>(x)`, `s.quantized<Min, Max, Bits>(x)`) it accepts the
/// raw stream calls of detail/stream.hpp (`value`, `bytes`, `add_bits`, `ok`, `fail`), recorded
/// as raw widths, and reports `Mode::max` (a walk over types, as the worst-case measure is).

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "courier/core/error.hpp"
#include "courier/pack/type_name.hpp"
#include "courier/schema/detail/codec.hpp"
#include "courier/schema/detail/fields.hpp"
#include "courier/schema/detail/format.hpp"
#include "courier/schema/detail/reflect.hpp"

namespace courier::detail {

/// The tokens of a layout. Every token has a fixed number of parameters and every element
/// layout is closed by `end`, so the token sequence reads back one way only.
enum class LayoutTag : unsigned char {
  boolean = 'b',
  character = 'c',
  integer = 'i',
  floating = 'f',
  ranged = 'r',
  quantized = 'q',
  string = 's',
  vector = 'v',
  array = 'a',
  optional = 'o',
  end = '.',
  raw_bits = 'x',
  raw_bytes = 'y',
};

class LayoutStream;

/// Records the layout of `value`'s type (its value does not matter); see the file comment.
template <class T>
constexpr void layout_field(LayoutStream& s, T& value);

/// The stream a message is walked with to hash its layout: it hashes tokens, never bytes.
class LayoutStream {
 public:
  static constexpr Mode mode = Mode::max;

  /// Records each field's layout, in order.
  template <class... Fields>
  constexpr void operator()(Fields&... fields) {
    (layout_field(*this, fields), ...);
  }

  /// Records integer `field` as `Ranged<T, Min, Max>` (the same token, so the two are equal).
  template <auto Min, auto Max, std::integral T>
  constexpr void ranged(T& /*field*/) {
    tag(LayoutTag::ranged);
    bound(static_cast<T>(Min));
    bound(static_cast<T>(Max));
  }

  /// Records float or double `field` as `Quantized<Min, Max, Bits>`.
  template <int Min, int Max, unsigned Bits, std::floating_point F>
  constexpr void quantized(F& /*field*/) {
    tag(LayoutTag::quantized);
    bound(Min);
    bound(Max);
    number(Bits);
  }

  // The raw calls a serialize function could make on the codec's streams.
  constexpr void value(std::uint64_t& /*value*/, unsigned bits) {
    tag(LayoutTag::raw_bits);
    number(bits);
  }
  constexpr void bytes(char* /*data*/, std::size_t count) {
    tag(LayoutTag::raw_bytes);
    number(count);
  }
  constexpr void add_bits(std::size_t count) {
    tag(LayoutTag::raw_bits);
    number(count);
  }
  [[nodiscard]] constexpr bool ok() const noexcept { return true; }
  constexpr void fail(Error /*error*/) noexcept {}

  constexpr void tag(LayoutTag t) noexcept {
    const char c = static_cast<char>(t);
    hash_ = fnv1a(std::string_view(&c, 1), hash_);
  }
  constexpr void number(std::uint64_t n) noexcept { hash_ = fnv1a(n, hash_); }
  /// An integer bound as a number: its sign, then its value, so equal values of different
  /// integer types are equal.
  template <std::integral T>
  constexpr void bound(T v) noexcept {
    number(std::cmp_less(v, 0) ? 1 : 0);
    number(static_cast<std::uint64_t>(v));
  }
  [[nodiscard]] constexpr std::uint64_t hash() const noexcept { return hash_; }

 private:
  std::uint64_t hash_ = fnv1a(std::string_view{});
};

/// Records the element type `E` of a container, closed by `end`.
template <class E>
constexpr void layout_element(LayoutStream& s) {
  E element{};
  layout_field(s, element);
  s.tag(LayoutTag::end);
}

// The dispatch follows serialize_field (schema/detail/fields.hpp) case by case, so every type
// a schema accepts has a layout; keep the two in step.
template <class T>
inline constexpr bool is_plain_number = std::is_integral_v<T> || std::is_same_v<T, float> || std::is_same_v<T, double>;

/// bool, char, integers (signedness and width) and floats (width).
template <class T>
constexpr void layout_number(LayoutStream& s) {
  if constexpr (std::is_same_v<T, bool>) {
    s.tag(LayoutTag::boolean);
  } else if constexpr (std::is_same_v<T, char>) {
    s.tag(LayoutTag::character);
  } else if constexpr (std::is_integral_v<T>) {
    s.tag(LayoutTag::integer);
    s.number(std::is_signed_v<T> ? 1 : 0);
    s.number(sizeof(T) * 8);
  } else {
    s.tag(LayoutTag::floating);
    s.number(sizeof(T) * 8);
  }
}

template <class T>
constexpr void layout_field(LayoutStream& s, T& value) {
  if constexpr (CustomSerialize<T, LayoutStream>) {
    value.serialize(s);
  } else if constexpr (is_plain_number<T>) {
    layout_number<T>(s);
  } else if constexpr (FixedEnum<T>) {
    std::underlying_type_t<T> raw{};
    layout_field(s, raw);
  } else if constexpr (is_ranged<T>) {
    typename T::value_type raw{};
    s.template ranged<T::min, T::max>(raw);
  } else if constexpr (is_quantized<T>) {
    float raw{};
    s.template quantized<T::min, T::max, T::bits>(raw);
  } else if constexpr (is_bounded_string<T>) {
    s.tag(LayoutTag::string);
    s.number(T::bound);
  } else if constexpr (is_bounded_vector<T>) {
    s.tag(LayoutTag::vector);
    s.number(T::bound);
    layout_element<typename T::value_type>(s);
  } else if constexpr (is_std_array<T>) {
    s.tag(LayoutTag::array);
    s.number(std::tuple_size_v<T>);
    layout_element<typename T::value_type>(s);
  } else if constexpr (is_optional<T>) {
    s.tag(LayoutTag::optional);
    layout_element<typename T::value_type>(s);
  } else if constexpr (std::is_class_v<T> && std::is_aggregate_v<T> && !is_std_string<T>) {
    visit_fields(value, [&s](auto&... fields) { (layout_field(s, fields), ...); });
  } else {
    reject_unsupported<T>();
  }
}

/// The layout hash of message type T (any type the shipped schemas accept), independent of
/// the schema: the schema hash records the schema separately.
template <class T>
[[nodiscard]] constexpr std::uint64_t layout_hash() {
  LayoutStream s;
  T message{};
  layout_field(s, message);
  return s.hash();
}

template <class Format, class Writer, class Reader>
void codec_base(const Codec<Format, Writer, Reader>*);  // never defined: only its overload is used

/// A schema built on courier's field model (BitPacked, ByteAligned, any detail::Codec): the
/// layout walk describes exactly what it encodes.
template <class S>
concept FieldModelSchema = requires(const S* schema) { codec_base(schema); };

/// What the schema hash records of message T under `Schema` (besides its worst-case size):
/// its layout for a schema on courier's field model; for any other schema, whose encoding
/// courier cannot see, the spelled type name (which differs between compilers for types in
/// an unnamed namespace or std's inline namespaces).
template <class Schema, class T>
[[nodiscard]] constexpr std::uint64_t message_shape_hash() {
  if constexpr (FieldModelSchema<Schema>) {
    if constexpr (!sendable<Measurer<BitFormat, Mode::max>, T>()) {
      return 0;  // the schema refused a field of T with its own error: do not add a second one
    } else {
      return layout_hash<T>();
    }
  } else {
    return fnv1a(type_name<T>());
  }
}

}  // namespace courier::detail
