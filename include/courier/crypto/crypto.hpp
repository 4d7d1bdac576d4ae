#pragma once
/// \file
/// The `Crypto` policy concept: the AEADs that protect connect tokens, challenge tokens and every
/// packet of the connection layer, plus the random source for keys and nonces.
///
/// | expression                                      | type          | meaning |
/// |-------------------------------------------------|---------------|---------|
/// | `C::mac_bytes`                                  | `std::size_t` | tag bytes appended by every seal (16 for netcode) |
/// | `C::name`                                       | `const char*` | for logs and benchmark tables |
/// | `C::available()`                                | `bool`        | the policy can run on this machine (library initialised, CPU support) |
/// | `C::seal(plain, ad, nonce, key, out)`           | `bool`        | packet AEAD; `out.size() == plain.size() + mac_bytes` |
/// | `C::open(cipher, ad, nonce, key, out)`          | `bool`        | `out.size() == cipher.size() - mac_bytes`; false when authentication fails |
/// | `C::seal_token(plain, ad, token_nonce, key, out)` | `bool`      | connect-token AEAD with the 24-byte token nonce |
/// | `C::open_token(cipher, ad, token_nonce, key, out)` | `bool`     | opens what `seal_token` sealed |
/// | `C::random_bytes(out)`                          | `void`        | fills `out` from a cryptographic source (keys, token nonces) |
///
/// `nonce` is the 64-bit packet or challenge sequence; netcode turns it into 12 bytes as
/// `00 00 00 00 || sequence LE` (docs/PROTOCOL.md Part 1 §5: zeros first). `out` may alias the input exactly
/// (in-place sealing and opening) but must not partially overlap it. Every operation is
/// `noexcept` and returns false instead of failing loudly, because it runs on network input.
/// Shipped: Netcode102 (the netcode.io 1.02 wire), Aes256Gcm (courier-to-courier links),
/// Plaintext (tests and benchmarks only). Only crypto headers include `<sodium.h>`.

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>

#include "courier/crypto/key.hpp"

namespace courier {

/// The 24-byte random nonce that seals a netcode 1.02 private connect token.
using TokenNonce = std::array<std::uint8_t, 24>;

template <class C>
concept Crypto = requires(std::span<const std::byte> in, std::span<const std::byte> ad,
                          std::uint64_t nonce, const TokenNonce& token_nonce, const Key& key,
                          std::span<std::byte> out) {
  { C::mac_bytes } -> std::convertible_to<std::size_t>;
  { C::name } -> std::convertible_to<const char*>;
  { C::available() } noexcept -> std::same_as<bool>;
  { C::seal(in, ad, nonce, key, out) } noexcept -> std::same_as<bool>;
  { C::open(in, ad, nonce, key, out) } noexcept -> std::same_as<bool>;
  { C::seal_token(in, ad, token_nonce, key, out) } noexcept -> std::same_as<bool>;
  { C::open_token(in, ad, token_nonce, key, out) } noexcept -> std::same_as<bool>;
  { C::random_bytes(out) } noexcept;
};

namespace detail {

/// The 12-byte packet nonce of netcode 1.02: four zero bytes first, then the sequence LE.
[[nodiscard]] constexpr std::array<std::uint8_t, 12> packet_nonce(std::uint64_t sequence) noexcept {
  std::array<std::uint8_t, 12> n{};
  for (std::size_t i = 0; i < 8; ++i) n[4 + i] = static_cast<std::uint8_t>(sequence >> (8 * i));
  return n;
}

/// True when `out` can hold `in` plus (or minus) a tag and does not partially overlap it.
[[nodiscard]] inline bool aead_sizes_ok(std::span<const std::byte> in, std::span<std::byte> out,
                                        std::size_t expected_out) noexcept {
  if (out.size() != expected_out) return false;
  if (in.empty() || out.empty() || in.data() == out.data()) return true;
  const auto* a = in.data();
  const auto* b = out.data();
  const bool disjoint = (a + in.size() <= b) || (b + out.size() <= a);
  return disjoint;
}

}  // namespace detail

}  // namespace courier
