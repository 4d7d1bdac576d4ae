#pragma once
/// \file
/// Challenge tokens (docs/PROTOCOL.md Part 1 §4, "Challenge token"): `client_id u64 || user_data 256`, zero padded to 300
/// bytes, bytes [0,284) sealed with the packet AEAD under the server's per-start challenge key
/// and the nonce of the challenge sequence; tag at [284,300); no associated data. Only the
/// server can read one: the client echoes it back in its response.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>

#include "courier/core/byte_cursor.hpp"
#include "courier/crypto/crypto.hpp"
#include "courier/netcode/connect_token.hpp"
#include "courier/netcode/constants.hpp"

namespace courier::netcode {

/// What a challenge token proves: the server issued it for this client id and user data.
struct ChallengeToken {
  std::uint64_t client_id = 0;
  UserData user_data{};
};

/// An encrypted challenge token as it travels.
using EncryptedChallengeToken = std::array<std::byte, challenge_token_bytes>;

inline constexpr std::size_t challenge_token_plaintext_bytes = challenge_token_bytes - mac_bytes;

/// Writes the plaintext, zero padded to 300 bytes.
inline void write_challenge_token(const ChallengeToken& t,
                                  std::span<std::byte, challenge_token_bytes> out) noexcept {
  std::memset(out.data(), 0, out.size());
  courier::detail::ByteWriter w(out);
  w.u64(t.client_id);
  w.bytes(t.user_data.data(), t.user_data.size());
}

/// Seals [0,284) of `buffer` in place and writes the tag at [284,300).
template <Crypto C>
[[nodiscard]] bool encrypt_challenge_token(std::span<std::byte, challenge_token_bytes> buffer,
                                           std::uint64_t sequence, const Key& key) noexcept {
  return C::seal(buffer.first<challenge_token_plaintext_bytes>(), {}, sequence, key, buffer);
}

/// Opens and parses an encrypted challenge token; nullopt when it does not authenticate.
template <Crypto C>
[[nodiscard]] std::optional<ChallengeToken> decrypt_challenge_token(
    std::span<const std::byte, challenge_token_bytes> encrypted, std::uint64_t sequence,
    const Key& key) noexcept {
  std::array<std::byte, challenge_token_plaintext_bytes> plain{};
  if (!C::open(encrypted, {}, sequence, key, plain)) return std::nullopt;
  ChallengeToken t;
  courier::detail::ByteReader r(plain);
  t.client_id = r.u64();
  r.bytes(t.user_data.data(), t.user_data.size());
  return t;
}

}  // namespace courier::netcode
