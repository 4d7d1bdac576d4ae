#pragma once
/// \file
/// The `Schema` policy concept: how a message struct becomes bytes and back.
///
/// | expression                   | type              | meaning                                      |
/// |------------------------------|-------------------|----------------------------------------------|
/// | `S::template max_bytes<T>`   | `std::size_t` constant | worst-case encoded size of T, at compile time |
/// | `S::encode(msg, out)`        | `EncodeResult`    | writes `msg` into `out`; `buffer_too_small` if it does not fit |
/// | `S::decode(in, msg)`         | `std::error_code` | reads `in` into `msg`: bounded, first error kept, fails if bytes are left over |
/// | `S::measure(msg)`            | `std::size_t`     | exact encoded size of `msg`                  |
///
/// encode, decode and measure are `noexcept`. Shipped: BitPacked (schema/bit_packed.hpp),
/// ByteAligned (schema/byte_aligned.hpp).
///
/// What the shipped schemas promise, for a message T of supported fields (bool, integers,
/// enums with a fixed underlying type, float, double, `Ranged`, `Quantized`, `BoundedString`,
/// `BoundedVector`, `std::array`, `std::optional`, nested aggregates, structs with a constexpr
/// `serialize(Stream&)`; anything else is a compile error naming the type to use instead):
///
/// | property                      | guarantee                                                 |
/// |-------------------------------|-----------------------------------------------------------|
/// | round trip                    | `decode(encode(m)) == m`, with Ranged / Quantized clamped  |
/// | size                          | `encode(m).size == measure(m) <= max_bytes<T>`            |
/// | bounds                        | a decoded length above N is `length_out_of_range`, a value outside its range `value_out_of_range` |
/// | untrusted input               | never reads past `in`, never allocates more than a declared bound (nor more than the input can fill), never throws or asserts |
/// | first error                   | the first failure is the one returned; later reads are no-ops |
/// | full consumption              | unread input is `trailing_bytes` (BitPacked: non-zero padding bits are `malformed`) |
/// | failed decode                 | may leave the target partially written                    |
/// | allocation                    | none, except a BoundedVector's own storage on decode      |

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <system_error>
#include <type_traits>

namespace courier {

/// What an encode produced: the bytes written, or the error that stopped it.
struct EncodeResult {
  std::size_t size = 0;
  std::error_code error;
  [[nodiscard]] explicit operator bool() const noexcept { return !error; }
};

namespace detail {
/// The message the Schema concept checks a policy against.
struct SchemaProbe {
  std::uint32_t id;
  bool flag;
};
}  // namespace detail

template <class S>
concept Schema = requires(const detail::SchemaProbe& msg, detail::SchemaProbe& into,
                          std::span<std::byte> out, std::span<const std::byte> in) {
  { S::encode(msg, out) } noexcept -> std::same_as<EncodeResult>;
  { S::decode(in, into) } noexcept -> std::same_as<std::error_code>;
  { S::measure(msg) } noexcept -> std::same_as<std::size_t>;
  typename std::integral_constant<std::size_t, S::template max_bytes<detail::SchemaProbe>>;
};

}  // namespace courier
