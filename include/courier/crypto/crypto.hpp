#pragma once
/// \file
/// The `Crypto` policy concept: the AEAD that protects every packet after the handshake.
///
/// | expression                                  | type   | meaning                                   |
/// |---------------------------------------------|--------|-------------------------------------------|
/// | `C::mac_bytes`                              | `std::size_t` | tag bytes appended by `seal`        |
/// | `C::name`                                   | `const char*` | for logs and benchmark tables       |
/// | `C::available()`                            | `bool` | the policy can run on this machine        |
/// | `C::seal(plain, ad, nonce, key, out)`       | `bool` | `out.size() == plain.size() + mac_bytes`  |
/// | `C::open(cipher, ad, nonce, key, out)`      | `bool` | `out.size() == cipher.size() - mac_bytes`; false when authentication fails |
///
/// `nonce` is the 64-bit packet sequence (netcode: 4 zero bytes, then the sequence LE).
/// All operations are `noexcept`. Only crypto headers include `<sodium.h>`.

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>

namespace courier {

/// A 32-byte symmetric key.
using Key = std::array<std::uint8_t, 32>;

template <class C>
concept Crypto = requires(std::span<const std::byte> in, std::span<const std::byte> ad,
                          std::uint64_t nonce, const Key& key, std::span<std::byte> out) {
  { C::mac_bytes } -> std::convertible_to<std::size_t>;
  { C::name } -> std::convertible_to<const char*>;
  { C::available() } noexcept -> std::same_as<bool>;
  { C::seal(in, ad, nonce, key, out) } noexcept -> std::same_as<bool>;
  { C::open(in, ad, nonce, key, out) } noexcept -> std::same_as<bool>;
};

}  // namespace courier
