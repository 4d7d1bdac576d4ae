#pragma once
/// \file
/// How each field type is visited by a stream. One function per kind of field, all written once
/// for every mode: a writer reads the field, a reader checks the bound and assigns it, the
/// measurers only count. The stream supplies `value(u64&, bits)`, `bytes(char*, n)`,
/// `add_bits(n)`, `ok()`, `fail(Error)`, `mode` and `Format` (see detail/stream.hpp).

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "courier/core/bit_cast.hpp"
#include "courier/core/error.hpp"
#include "courier/schema/bounded_string.hpp"
#include "courier/schema/bounded_vector.hpp"
#include "courier/schema/detail/format.hpp"
#include "courier/schema/detail/reflect.hpp"
#include "courier/schema/quantized.hpp"
#include "courier/schema/ranged.hpp"

namespace courier::detail {

template <class>
inline constexpr bool dependent_false = false;

// ---- recognising field kinds ----------------------------------------------------------------

template <class T> inline constexpr bool is_ranged = false;
template <class T, T Min, T Max> inline constexpr bool is_ranged<Ranged<T, Min, Max>> = true;
template <class T> inline constexpr bool is_quantized = false;
template <int Min, int Max, unsigned Bits>
inline constexpr bool is_quantized<Quantized<Min, Max, Bits>> = true;
template <class T> inline constexpr bool is_bounded_string = false;
template <std::size_t N> inline constexpr bool is_bounded_string<BoundedString<N>> = true;
template <class T> inline constexpr bool is_bounded_vector = false;
template <class T, std::size_t N, class A>
inline constexpr bool is_bounded_vector<BoundedVector<T, N, A>> = true;
template <class T> inline constexpr bool is_std_array = false;
template <class T, std::size_t N> inline constexpr bool is_std_array<std::array<T, N>> = true;
template <class T> inline constexpr bool is_optional = false;
template <class T> inline constexpr bool is_optional<std::optional<T>> = true;
template <class T> inline constexpr bool is_std_string = false;
template <class C, class Tr, class A>
inline constexpr bool is_std_string<std::basic_string<C, Tr, A>> = true;
template <class T> inline constexpr bool is_std_vector = false;
template <class T, class A> inline constexpr bool is_std_vector<std::vector<T, A>> = true;

/// A struct that describes its own fields with `template <class Stream> void serialize(Stream&)`.
template <class T, class Stream>
concept CustomSerialize = requires(T& value, Stream& stream) { value.serialize(stream); };

/// An enum whose size is fixed by the programmer (`enum E : std::uint8_t`, or any enum class);
/// only such enums have a defined wire size and value range. `E{underlying}` compiles exactly
/// for them.
template <class T>
concept FixedEnum = std::is_enum_v<T> && requires { T{std::underlying_type_t<T>{}}; };

template <class Stream>
inline constexpr bool reading = Stream::mode == Mode::read;
template <class Stream>
inline constexpr bool counting_bound = Stream::mode == Mode::max || Stream::mode == Mode::min;

template <class Stream, class T>
constexpr void serialize_field(Stream& s, T& v);

/// The size in bits a measurer of type `Measurer` counts for a default-constructed T; with
/// the max (min) measurer this is T's worst (best) case, since those count types, not values.
template <class Measurer, class T>
constexpr std::size_t element_bits() {
  Measurer measurer{};
  T value{};
  serialize_field(measurer, value);
  return measurer.bits();
}

// ---- scalars --------------------------------------------------------------------------------

template <class Stream>
constexpr void serialize_bool(Stream& s, bool& v) {
  std::uint64_t u = v ? 1 : 0;
  s.value(u, Stream::Format::bool_bits);
  if constexpr (reading<Stream>) {
    if (u > 1) s.fail(Error::value_out_of_range);  // ByteAligned: a byte other than 0 or 1
    v = u == 1;
  }
}

/// Any integer, full range: two's complement bits of its own width, no compression.
template <class Stream, std::integral T>
constexpr void serialize_integer(Stream& s, T& v) {
  using U = std::make_unsigned_t<T>;
  std::uint64_t u = static_cast<U>(v);
  s.value(u, sizeof(T) * 8);
  if constexpr (reading<Stream>) v = static_cast<T>(static_cast<U>(u));
}

/// float and double as their raw IEEE-754 bits: exact, NaN payloads included.
template <class Stream, std::floating_point T>
constexpr void serialize_float(Stream& s, T& v) {
  static_assert(std::numeric_limits<T>::is_iec559 && (sizeof(T) == 4 || sizeof(T) == 8),
                "courier schema: only IEEE-754 float and double can be sent raw; long double "
                "has no portable layout, use double or courier::Quantized");
  using Bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
  std::uint64_t u = courier::bit_cast<Bits>(v);
  s.value(u, sizeof(T) * 8);
  if constexpr (reading<Stream>) v = courier::bit_cast<T>(static_cast<Bits>(u));
}

/// An integer in [Min, Max], sent as its offset from Min; clamped on write, checked on read.
template <auto Min, auto Max, class Stream, std::integral T>
constexpr void serialize_ranged(Stream& s, T& v) {
  using U = std::make_unsigned_t<T>;
  constexpr T lo = static_cast<T>(Min);
  constexpr T hi = static_cast<T>(Max);
  constexpr std::uint64_t span = static_cast<U>(static_cast<U>(hi) - static_cast<U>(lo));
  const T clamped = v < lo ? lo : (v > hi ? hi : v);
  std::uint64_t u = static_cast<U>(static_cast<U>(clamped) - static_cast<U>(lo));
  s.value(u, Stream::Format::width(span));
  if constexpr (reading<Stream>) {
    if (u > span) {
      s.fail(Error::value_out_of_range);
      return;
    }
    v = static_cast<T>(static_cast<U>(static_cast<U>(lo) + static_cast<U>(u)));
  }
}

/// A float in [Min, Max] sent as one of 2^Bits steps; clamped on write, step checked on read.
template <int Min, int Max, unsigned Bits, class Stream, std::floating_point F>
constexpr void serialize_quantized(Stream& s, F& v) {
  using Q = Quantized<Min, Max, Bits>;
  std::uint64_t u = 0;
  if constexpr (Stream::mode == Mode::write) u = Q::quantize(static_cast<double>(v));
  s.value(u, Stream::Format::width(Q::max_step));
  if constexpr (reading<Stream>) {
    if (u > Q::max_step) {
      s.fail(Error::value_out_of_range);
      return;
    }
    v = static_cast<F>(Q::dequantize(static_cast<std::uint32_t>(u)));
  }
}

// ---- bounded containers ---------------------------------------------------------------------

/// Reads or writes a length prefix for a container bounded by N; on read, checks it against N.
template <std::size_t N, class Stream>
constexpr bool serialize_length(Stream& s, std::size_t& length) {
  std::uint64_t u = length;
  s.value(u, Stream::Format::width(N));
  if constexpr (reading<Stream>) {
    if (!s.ok()) return false;
    if (u > N) {
      s.fail(Error::length_out_of_range);
      return false;
    }
    length = static_cast<std::size_t>(u);
  }
  return true;
}

template <class Stream, std::size_t N>
constexpr void serialize_string(Stream& s, BoundedString<N>& v) {
  if constexpr (counting_bound<Stream>) {
    s.add_bits(Stream::Format::width(N) + (Stream::mode == Mode::max ? 8 * N : 0));
  } else {
    std::size_t length = v.size();
    if (!serialize_length<N>(s, length)) return;
    if constexpr (reading<Stream>) v.resize(length);  // length <= N: never throws
    s.bytes(v.data(), length);
  }
}

template <class Stream, class T, std::size_t N, class A>
constexpr void serialize_vector(Stream& s, BoundedVector<T, N, A>& v) {
  if constexpr (counting_bound<Stream>) {
    s.add_bits(Stream::Format::width(N));
    if constexpr (Stream::mode == Mode::max) s.add_bits(N * element_bits<Stream, T>());
  } else {
    std::size_t length = v.size();
    if (!serialize_length<N>(s, length)) return;
    if constexpr (reading<Stream>) {
      // Only allocate what the remaining bytes could possibly fill.
      constexpr std::size_t min_bits = element_bits<typename Stream::MinMeasurer, T>();
      if (min_bits != 0 && length > s.remaining_bits() / min_bits) {
        s.fail(Error::truncated);
        return;
      }
      v.resize(length);  // length <= N: never throws length_error
    }
    for (std::size_t i = 0; i < length && s.ok(); ++i) {
      if constexpr (std::is_same_v<T, bool>) {  // std::vector<bool> hands out proxies
        bool bit = v[i];
        serialize_bool(s, bit);
        if constexpr (reading<Stream>) v[i] = bit;
      } else {
        serialize_field(s, v[i]);
      }
    }
  }
}

template <class Stream, class T, std::size_t N>
constexpr void serialize_array(Stream& s, std::array<T, N>& v) {
  if constexpr (counting_bound<Stream>) {
    s.add_bits(N * element_bits<Stream, T>());
  } else if constexpr (std::is_same_v<T, std::uint8_t> && std::is_same_v<typename Stream::Format, ByteFormat>) {
    // Byte-aligned, each element is its one byte: the same bytes in one copy.
    s.bytes(reinterpret_cast<char*>(v.data()), N);
  } else {
    for (std::size_t i = 0; i < N && s.ok(); ++i) serialize_field(s, v[i]);
  }
}

template <class Stream, class T>
constexpr void serialize_optional(Stream& s, std::optional<T>& v) {
  std::uint64_t present = v.has_value() ? 1 : 0;
  s.value(present, Stream::Format::bool_bits);
  if constexpr (Stream::mode == Mode::max) {
    s.add_bits(element_bits<Stream, T>());
  } else if constexpr (Stream::mode != Mode::min) {
    if constexpr (reading<Stream>) {
      if (!s.ok()) return;
      if (present > 1) {
        s.fail(Error::value_out_of_range);
        return;
      }
      if (present == 0) {
        v.reset();
        return;
      }
      if (!v) v.emplace();
    }
    if (present == 1) serialize_field(s, *v);
  }
}

// ---- dispatch -------------------------------------------------------------------------------

/// Fails compilation with the one sentence that fits the unsupported type T.
template <class T>
constexpr void reject_unsupported() {
  if constexpr (is_std_string<T>) {
    static_assert(dependent_false<T>, "courier schema: std::string has no bound a receiver could "
                                      "enforce; use courier::BoundedString<N> instead");
  } else if constexpr (is_std_vector<T>) {
    static_assert(dependent_false<T>, "courier schema: std::vector has no bound a receiver could "
                                      "enforce; use courier::BoundedVector<T, N> instead");
  } else if constexpr (std::is_pointer_v<T>) {
    static_assert(dependent_false<T>, "courier schema: a pointer cannot be sent; send the value");
  } else if constexpr (std::is_union_v<T>) {
    static_assert(dependent_false<T>, "courier schema: a union cannot be sent; use std::optional");
  } else if constexpr (std::is_enum_v<T>) {
    static_assert(dependent_false<T>,
                  "courier schema: give the enum a fixed underlying type (enum E : std::uint8_t) "
                  "so that its size and range on the wire are defined");
  } else {
    static_assert(dependent_false<T>,
                  "courier schema: unsupported field type; use bool, an integer, an enum, float, "
                  "double, courier::Ranged, courier::Quantized, courier::BoundedString<N> (not "
                  "std::string), courier::BoundedVector<T, N> (not std::vector), std::array, "
                  "std::optional, a nested struct, or give the type a serialize(Stream&) function");
  }
}

/// Visits one field of any supported type; unsupported types fail with a plain sentence.
template <class Stream, class T>
constexpr void serialize_field(Stream& s, T& v) {
  static_assert(!std::is_const_v<T>,
                "courier schema: a const field cannot be decoded into; make the field non-const");
  if constexpr (CustomSerialize<T, Stream>) {
    v.serialize(s);
  } else if constexpr (std::is_same_v<T, bool>) {
    serialize_bool(s, v);
  } else if constexpr (std::is_integral_v<T>) {
    serialize_integer(s, v);
  } else if constexpr (FixedEnum<T>) {
    auto raw = static_cast<std::underlying_type_t<T>>(v);
    serialize_field(s, raw);
    if constexpr (reading<Stream>) v = static_cast<T>(raw);
  } else if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
    serialize_float(s, v);
  } else if constexpr (is_ranged<T>) {
    auto raw = v.value();
    serialize_ranged<T::min, T::max>(s, raw);
    if constexpr (reading<Stream>) v = raw;
  } else if constexpr (is_quantized<T>) {
    float raw = v.value();
    serialize_quantized<T::min, T::max, T::bits>(s, raw);
    if constexpr (reading<Stream>) v = raw;
  } else if constexpr (is_bounded_string<T>) {
    serialize_string(s, v);
  } else if constexpr (is_bounded_vector<T>) {
    serialize_vector(s, v);
  } else if constexpr (is_std_array<T>) {
    serialize_array(s, v);
  } else if constexpr (is_optional<T>) {
    serialize_optional(s, v);
  } else if constexpr (std::is_class_v<T> && std::is_aggregate_v<T> && !is_std_string<T>) {
    visit_fields(v, [&s](auto&... fields) { (serialize_field(s, fields), ...); });
  } else {
    reject_unsupported<T>();
  }
}

}  // namespace courier::detail
