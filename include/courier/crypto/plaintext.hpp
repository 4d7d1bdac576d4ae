#pragma once
/// \file
/// Plaintext: NO ENCRYPTION. For tests and benchmarks only, as its name says. Packets keep the
/// netcode layout (a 16-byte trailer where the tag would be) so sizes, framing and every code
/// path stay identical; the trailer is a non-cryptographic checksum over key, nonce, associated
/// data and payload, so corruption and key mix-ups are still caught, but anyone can forge it.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "courier/crypto/crypto.hpp"
#include "courier/crypto/netcode102.hpp"

namespace courier {

/// Insecure pass-through crypto with a checksum trailer.
struct Plaintext {
  static constexpr std::size_t mac_bytes = 16;
  static constexpr const char* name = "plaintext (INSECURE)";

  /// Always runs.
  [[nodiscard]] static bool available() noexcept { return true; }

  /// Copies `plain` and appends the checksum.
  [[nodiscard]] static bool seal(std::span<const std::byte> plain, std::span<const std::byte> ad,
                                 std::uint64_t sequence, const Key& key,
                                 std::span<std::byte> out) noexcept {
    return seal_any(plain, ad, as_bytes(detail::packet_nonce(sequence)), key, out);
  }
  /// Checks the checksum and copies the plaintext out.
  [[nodiscard]] static bool open(std::span<const std::byte> cipher, std::span<const std::byte> ad,
                                 std::uint64_t sequence, const Key& key,
                                 std::span<std::byte> out) noexcept {
    return open_any(cipher, ad, as_bytes(detail::packet_nonce(sequence)), key, out);
  }
  /// As `seal`, with the token nonce.
  [[nodiscard]] static bool seal_token(std::span<const std::byte> plain,
                                       std::span<const std::byte> ad, const TokenNonce& nonce,
                                       const Key& key, std::span<std::byte> out) noexcept {
    return seal_any(plain, ad, as_bytes(nonce), key, out);
  }
  /// As `open`, with the token nonce.
  [[nodiscard]] static bool open_token(std::span<const std::byte> cipher,
                                       std::span<const std::byte> ad, const TokenNonce& nonce,
                                       const Key& key, std::span<std::byte> out) noexcept {
    return open_any(cipher, ad, as_bytes(nonce), key, out);
  }
  /// Keys stay random even here, so a test never depends on a predictable key by accident.
  static void random_bytes(std::span<std::byte> out) noexcept { Netcode102::random_bytes(out); }

 private:
  template <std::size_t N>
  static std::span<const std::byte> as_bytes(const std::array<std::uint8_t, N>& a) noexcept {
    return std::as_bytes(std::span(a));
  }

  /// Two FNV-1a-64 streams with different seeds: cheap, catches flips, forgeable by design.
  static std::array<std::byte, mac_bytes> checksum(
      std::span<const std::byte> data, std::span<const std::byte> ad,
      std::span<const std::byte> nonce, const Key& key) noexcept {
    std::uint64_t h[2] = {1469598103934665603ull, 0x9e3779b97f4a7c15ull};
    auto mix = [&h](std::span<const std::byte> bytes) {
      for (auto b : bytes)
        for (auto& x : h) x = (x ^ static_cast<std::uint8_t>(b)) * 1099511628211ull;
    };
    mix(std::as_bytes(std::span(key)));
    mix(nonce);
    mix(ad);
    mix(data);
    std::array<std::byte, mac_bytes> tag{};
    for (std::size_t i = 0; i < 16; ++i)
      tag[i] = static_cast<std::byte>(h[i / 8] >> (8 * (i % 8)));
    return tag;
  }

  static bool seal_any(std::span<const std::byte> plain, std::span<const std::byte> ad,
                       std::span<const std::byte> nonce, const Key& key,
                       std::span<std::byte> out) noexcept {
    if (!detail::aead_sizes_ok(plain, out, plain.size() + mac_bytes)) return false;
    const auto tag = checksum(plain, ad, nonce, key);
    if (!plain.empty() && out.data() != plain.data())
      std::memmove(out.data(), plain.data(), plain.size());
    std::memcpy(out.data() + plain.size(), tag.data(), mac_bytes);
    return true;
  }

  static bool open_any(std::span<const std::byte> cipher, std::span<const std::byte> ad,
                       std::span<const std::byte> nonce, const Key& key,
                       std::span<std::byte> out) noexcept {
    if (cipher.size() < mac_bytes) return false;
    if (!detail::aead_sizes_ok(cipher, out, cipher.size() - mac_bytes)) return false;
    const auto body = cipher.first(cipher.size() - mac_bytes);
    const auto tag = checksum(body, ad, nonce, key);
    if (std::memcmp(tag.data(), cipher.data() + body.size(), mac_bytes) != 0) return false;
    if (!body.empty() && out.data() != body.data()) std::memmove(out.data(), body.data(), body.size());
    return true;
  }
};

}  // namespace courier
