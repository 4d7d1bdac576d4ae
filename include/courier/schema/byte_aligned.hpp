#pragma once
/// \file
/// `ByteAligned`: the fast Schema. Every field is whole little-endian bytes.

#include <courier/schema/detail/byte_reader.hpp>
#include <courier/schema/detail/byte_writer.hpp>
#include <courier/schema/detail/codec.hpp>
#include <courier/schema/detail/format.hpp>

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
struct ByteAligned : detail::Codec<detail::ByteFormat, detail::ByteWriter, detail::ByteReader> {};

}  // namespace courier
