#pragma once
/// \file
/// `BitPacked`: the compact Schema. Every field takes exactly the bits its type needs.

#include "courier/schema/detail/bit_reader.hpp"
#include "courier/schema/detail/bit_writer.hpp"
#include "courier/schema/detail/codec.hpp"
#include "courier/schema/detail/format.hpp"

namespace courier {

/// The compact message schema (a model of `Schema`): a bounded bit stream, least-significant
/// bit first, stored as little-endian words.
///
/// | field                              | bits on the wire                                  |
/// |------------------------------------|---------------------------------------------------|
/// | bool                               | 1                                                 |
/// | integer, enum (underlying), float, double | its full width                             |
/// | `Ranged<T, Min, Max>`              | ceil(log2(Max - Min + 1)) (0 when Min == Max)     |
/// | `Quantized<Min, Max, Bits>`        | Bits                                              |
/// | `BoundedString<N>`                 | length in ceil(log2(N + 1)), then 8 per byte      |
/// | `BoundedVector<T, N>`              | length in ceil(log2(N + 1)), then the elements    |
/// | `std::array<T, N>`                 | N elements, no length                             |
/// | `std::optional<T>`                 | 1 presence bit, then T if present                 |
///
/// The message ends on a byte boundary with zero padding bits; a decode that leaves a whole
/// byte fails with `trailing_bytes`, one with non-zero padding with `malformed`.
struct BitPacked : detail::Codec<detail::BitFormat, detail::BitWriter, detail::BitReader> {};

}  // namespace courier
