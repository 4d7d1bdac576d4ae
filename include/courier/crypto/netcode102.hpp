#pragma once
/// \file
/// Netcode102: the crypto of the netcode.io 1.02 standard. Private connect tokens are sealed
/// with XChaCha20-Poly1305-IETF (24-byte random nonce); challenge tokens and every packet with
/// ChaCha20-Poly1305-IETF and the 12-byte nonce `00000000 || sequence LE` (netcode.io
/// 1.02 standard, 'Connect Token', 'Challenge Token', 'Packets'; docs/PROTOCOL.md Part 1 §3-§5). This is the policy that interoperates with every other netcode.io 1.02 implementation.

#include <sodium.h>

#include <cstddef>
#include <cstdint>
#include <span>

#include "courier/crypto/crypto.hpp"
#include "courier/crypto/sodium.hpp"

namespace courier {

/// netcode.io 1.02 crypto (libsodium).
struct Netcode102 {
  static constexpr std::size_t mac_bytes = crypto_aead_chacha20poly1305_ietf_ABYTES;
  static constexpr const char* name = "netcode-1.02 (chacha20-poly1305)";

  /// libsodium initialised.
  [[nodiscard]] static bool available() noexcept { return detail::sodium_ready(); }

  /// ChaCha20-Poly1305-IETF with the netcode packet nonce.
  [[nodiscard]] static bool seal(std::span<const std::byte> plain, std::span<const std::byte> ad,
                                 std::uint64_t sequence, const Key& key,
                                 std::span<std::byte> out) noexcept {
    if (!available() || !detail::aead_sizes_ok(plain, out, plain.size() + mac_bytes)) return false;
    const auto nonce = detail::packet_nonce(sequence);
    unsigned long long written = 0;
    return crypto_aead_chacha20poly1305_ietf_encrypt(detail::uc(out), &written, detail::uc(plain), plain.size(),
                                                     detail::uc(ad), ad.size(), nullptr, nonce.data(),
                                                     key.data()) == 0;
  }

  /// Opens what `seal` sealed; false on any authentication failure.
  [[nodiscard]] static bool open(std::span<const std::byte> cipher, std::span<const std::byte> ad,
                                 std::uint64_t sequence, const Key& key,
                                 std::span<std::byte> out) noexcept {
    if (cipher.size() < mac_bytes || !available()) return false;
    if (!detail::aead_sizes_ok(cipher, out, cipher.size() - mac_bytes)) return false;
    const auto nonce = detail::packet_nonce(sequence);
    unsigned long long written = 0;
    return crypto_aead_chacha20poly1305_ietf_decrypt(detail::uc(out), &written, nullptr, detail::uc(cipher),
                                                     cipher.size(), detail::uc(ad), ad.size(),
                                                     nonce.data(), key.data()) == 0;
  }

  /// XChaCha20-Poly1305-IETF with the 24-byte token nonce, used as is.
  [[nodiscard]] static bool seal_token(std::span<const std::byte> plain,
                                       std::span<const std::byte> ad, const TokenNonce& nonce,
                                       const Key& key, std::span<std::byte> out) noexcept {
    if (!available() || !detail::aead_sizes_ok(plain, out, plain.size() + mac_bytes)) return false;
    unsigned long long written = 0;
    return crypto_aead_xchacha20poly1305_ietf_encrypt(detail::uc(out), &written, detail::uc(plain), plain.size(),
                                                      detail::uc(ad), ad.size(), nullptr, nonce.data(),
                                                      key.data()) == 0;
  }

  /// Opens what `seal_token` sealed.
  [[nodiscard]] static bool open_token(std::span<const std::byte> cipher,
                                       std::span<const std::byte> ad, const TokenNonce& nonce,
                                       const Key& key, std::span<std::byte> out) noexcept {
    if (cipher.size() < mac_bytes || !available()) return false;
    if (!detail::aead_sizes_ok(cipher, out, cipher.size() - mac_bytes)) return false;
    unsigned long long written = 0;
    return crypto_aead_xchacha20poly1305_ietf_decrypt(detail::uc(out), &written, nullptr, detail::uc(cipher),
                                                      cipher.size(), detail::uc(ad), ad.size(),
                                                      nonce.data(), key.data()) == 0;
  }

  /// libsodium's CSPRNG.
  static void random_bytes(std::span<std::byte> out) noexcept {
    if (available()) randombytes_buf(out.data(), out.size());
  }
};

}  // namespace courier
