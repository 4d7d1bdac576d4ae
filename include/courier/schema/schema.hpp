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
/// encode, decode and measure are `noexcept`. Shipped: BitPacked, ByteAligned.

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
