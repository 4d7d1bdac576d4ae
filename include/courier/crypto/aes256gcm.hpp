#pragma once
/// \file
/// Aes256Gcm: AES-256-GCM packets for courier-to-courier links on CPUs with AES-NI and PCLMUL.
/// Not netcode.io-compatible on the wire (the packet AEAD differs); connect tokens stay
/// XChaCha20-Poly1305 so a backend issues the same tokens for either policy. `available()` is
/// false where libsodium cannot run AES-GCM, and the netcode Client and Server refuse to start
/// with Error::crypto_unavailable there.

#include <sodium.h>

#include <cstddef>
#include <cstdint>
#include <span>

#include "courier/crypto/crypto.hpp"
#include "courier/crypto/netcode102.hpp"
#include "courier/crypto/sodium.hpp"

namespace courier {

/// AES-256-GCM packets (libsodium), XChaCha20-Poly1305 tokens.
struct Aes256Gcm {
  static constexpr std::size_t mac_bytes = crypto_aead_aes256gcm_ABYTES;
  static constexpr const char* name = "aes-256-gcm";
  static_assert(crypto_aead_aes256gcm_NPUBBYTES == 12, "the packet nonce is 12 bytes");

  /// libsodium initialised and the CPU has hardware AES-GCM.
  [[nodiscard]] static bool available() noexcept {
    return detail::sodium_ready() && crypto_aead_aes256gcm_is_available() == 1;
  }

  /// AES-256-GCM with the netcode packet nonce layout.
  [[nodiscard]] static bool seal(std::span<const std::byte> plain, std::span<const std::byte> ad,
                                 std::uint64_t sequence, const Key& key,
                                 std::span<std::byte> out) noexcept {
    if (!available() || !detail::aead_sizes_ok(plain, out, plain.size() + mac_bytes)) return false;
    const auto nonce = detail::packet_nonce(sequence);
    unsigned long long written = 0;
    return crypto_aead_aes256gcm_encrypt(detail::uc(out), &written, detail::uc(plain), plain.size(), detail::uc(ad),
                                         ad.size(), nullptr, nonce.data(), key.data()) == 0;
  }

  /// Opens what `seal` sealed.
  [[nodiscard]] static bool open(std::span<const std::byte> cipher, std::span<const std::byte> ad,
                                 std::uint64_t sequence, const Key& key,
                                 std::span<std::byte> out) noexcept {
    if (cipher.size() < mac_bytes || !available()) return false;
    if (!detail::aead_sizes_ok(cipher, out, cipher.size() - mac_bytes)) return false;
    const auto nonce = detail::packet_nonce(sequence);
    unsigned long long written = 0;
    return crypto_aead_aes256gcm_decrypt(detail::uc(out), &written, nullptr, detail::uc(cipher), cipher.size(),
                                         detail::uc(ad), ad.size(), nonce.data(), key.data()) == 0;
  }

  /// Tokens are sealed exactly as in Netcode102.
  [[nodiscard]] static bool seal_token(std::span<const std::byte> plain,
                                       std::span<const std::byte> ad, const TokenNonce& nonce,
                                       const Key& key, std::span<std::byte> out) noexcept {
    return Netcode102::seal_token(plain, ad, nonce, key, out);
  }

  /// Opens a token sealed by `seal_token`.
  [[nodiscard]] static bool open_token(std::span<const std::byte> cipher,
                                       std::span<const std::byte> ad, const TokenNonce& nonce,
                                       const Key& key, std::span<std::byte> out) noexcept {
    return Netcode102::open_token(cipher, ad, nonce, key, out);
  }

  /// libsodium's CSPRNG.
  static void random_bytes(std::span<std::byte> out) noexcept { Netcode102::random_bytes(out); }

};

}  // namespace courier
