#pragma once
/// \file
/// courier::Key: a 32-byte symmetric key. The private key a token backend and its servers share
/// is one; so are the per-connection keys inside a connect token.
///
/// ```cpp
/// config.netcode.private_key = courier::Key::random();                 // a server that issues its own tokens
/// config.netcode.private_key = courier::Key::from_hex(hex_from_config).value();  // shared with a backend
/// ```
/// The all-zero key is what a forgotten field holds: servers and make_connect_token refuse it.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <system_error>

#include "courier/core/error.hpp"
#include "courier/core/hex.hpp"
#include "courier/core/result.hpp"
#include "courier/crypto/sodium.hpp"

namespace courier {

/// A 32-byte key; an std::array of bytes with the ways to make one.
struct Key : std::array<std::uint8_t, 32> {
  /// 32 bytes from libsodium's CSPRNG. Throws std::system_error(crypto_unavailable) when
  /// libsodium cannot start.
  [[nodiscard]] static Key random() {
    if (!detail::sodium_ready())
      throw std::system_error(make_error_code(Error::crypto_unavailable), "courier::Key::random: libsodium");
    Key k;
    randombytes_buf(k.data(), k.size());
    return k;
  }

  /// Exactly 64 hex digits (no prefix). Errors: invalid_key for another length, a non-hex digit
  /// or the all-zero key.
  [[nodiscard]] static Result<Key> from_hex(std::string_view hex) noexcept {
    Key k{};
    if (!parse_hex(hex, std::span<std::uint8_t>(k), true) || k.is_zero()) return Error::invalid_key;
    return k;
  }

  /// True for the all-zero key (an unset field).
  [[nodiscard]] constexpr bool is_zero() const noexcept {
    for (const std::uint8_t b : *this)
      if (b != 0) return false;
    return true;
  }
};

}  // namespace courier
