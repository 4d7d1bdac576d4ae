#pragma once
/// \file
/// Connect tokens (docs/PROTOCOL.md Part 1 §3, "Connect token"): the 2048-byte public token a backend hands to a client, and
/// the private part inside it, sealed with the private key that backend and servers share.
///
/// Public layout: version(13) protocol_id(8) create(8) expire(8) nonce(24) private(1024)
/// timeout(4) num(4) records c2s_key(32) s2c_key(32), zero padded to 2048.
/// Private plaintext: client_id(8) timeout(4) num(4) records c2s_key s2c_key user_data(256),
/// zero padded; bytes [0,1008) are sealed with XChaCha20-Poly1305, tag at [1008,1024), AD =
/// version || protocol_id || expire.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>

#include "courier/core/byte_cursor.hpp"
#include "courier/core/time.hpp"
#include "courier/crypto/crypto.hpp"
#include "courier/netcode/address_list.hpp"
#include "courier/netcode/constants.hpp"

namespace courier::netcode {

/// The 256 bytes of application data a token carries to the server.
using UserData = std::array<std::uint8_t, user_data_bytes>;

/// An encrypted private connect token as it travels.
using EncryptedPrivateToken = std::array<std::byte, connect_token_private_bytes>;

/// The 16-byte tag of an encrypted private token: the token's identity for reuse detection.
using TokenTag = std::array<std::byte, mac_bytes>;

/// The decrypted private part: what only the backend and the server can read.
struct ConnectTokenPrivate {
  std::uint64_t client_id = 0;
  std::int32_t timeout_seconds = 0;   ///< <= 0 disables timeouts
  AddressList server_addresses;       ///< internal addresses the server matches itself against
  Key client_to_server_key{};
  Key server_to_client_key{};
  UserData user_data{};
};

/// The public 2048-byte token, parsed.
struct ConnectTokenContents {
  std::uint64_t protocol_id = 0;
  UnixSeconds create_timestamp = 0;
  UnixSeconds expire_timestamp = 0;   ///< 0xFFFFFFFFFFFFFFFF: never expires
  TokenNonce nonce{};
  EncryptedPrivateToken private_data{};
  std::int32_t timeout_seconds = 0;
  AddressList server_addresses;       ///< public addresses the client dials, in order
  Key client_to_server_key{};
  Key server_to_client_key{};
};

/// Bytes of the private token that are encrypted (the rest is the tag).
inline constexpr std::size_t private_token_plaintext_bytes = connect_token_private_bytes - mac_bytes;

/// The 29-byte associated data of the private token: version || protocol_id || expire.
[[nodiscard]] inline std::array<std::byte, version_info_bytes + 16> private_token_associated_data(
    std::uint64_t protocol_id, UnixSeconds expire_timestamp) noexcept {
  std::array<std::byte, version_info_bytes + 16> ad{};
  courier::detail::ByteWriter w(ad);
  w.bytes(version_info.data(), version_info.size());
  w.u64(protocol_id);
  w.u64(expire_timestamp);
  return ad;
}

/// Writes the private plaintext into the 1024-byte buffer, zero padded (tag area zero too).
/// False when the token does not fit in 1008 bytes or its address list is not writable.
[[nodiscard]] inline bool write_private_token(const ConnectTokenPrivate& t,
                                              std::span<std::byte, connect_token_private_bytes> out) noexcept {
  std::memset(out.data(), 0, out.size());
  courier::detail::ByteWriter w(out.first<private_token_plaintext_bytes>());
  w.u64(t.client_id);
  w.u32(static_cast<std::uint32_t>(t.timeout_seconds));
  detail::write_address_list(w, t.server_addresses);
  w.bytes(t.client_to_server_key.data(), key_bytes);
  w.bytes(t.server_to_client_key.data(), key_bytes);
  w.bytes(t.user_data.data(), user_data_bytes);
  return w.ok();
}

/// Parses a decrypted private token; nullopt for a count outside [1,32] or a bad address type.
[[nodiscard]] inline std::optional<ConnectTokenPrivate> read_private_token(
    std::span<const std::byte> plaintext) noexcept {
  ConnectTokenPrivate t;
  courier::detail::ByteReader r(plaintext);
  t.client_id = r.u64();
  t.timeout_seconds = static_cast<std::int32_t>(r.u32());
  if (!detail::read_address_list(r, t.server_addresses)) return std::nullopt;
  r.bytes(t.client_to_server_key.data(), key_bytes);
  r.bytes(t.server_to_client_key.data(), key_bytes);
  r.bytes(t.user_data.data(), user_data_bytes);
  if (!r.ok()) return std::nullopt;
  return t;
}

/// Seals bytes [0,1008) of `buffer` in place and writes the tag at [1008,1024).
template <Crypto C>
[[nodiscard]] bool encrypt_private_token(std::span<std::byte, connect_token_private_bytes> buffer,
                                         std::uint64_t protocol_id, UnixSeconds expire_timestamp,
                                         const TokenNonce& nonce, const Key& key) noexcept {
  const auto ad = private_token_associated_data(protocol_id, expire_timestamp);
  const auto plain = buffer.first<private_token_plaintext_bytes>();
  return C::seal_token(plain, ad, nonce, key, buffer);
}

/// Opens an encrypted private token into `out` (1008 bytes); false when it does not authenticate.
template <Crypto C>
[[nodiscard]] bool decrypt_private_token(std::span<const std::byte, connect_token_private_bytes> encrypted,
                                         std::uint64_t protocol_id, UnixSeconds expire_timestamp,
                                         const TokenNonce& nonce, const Key& key,
                                         std::span<std::byte, private_token_plaintext_bytes> out) noexcept {
  const auto ad = private_token_associated_data(protocol_id, expire_timestamp);
  return C::open_token(encrypted, ad, nonce, key, out);
}

/// The reuse-detection identity of an encrypted private token: its last 16 bytes.
[[nodiscard]] inline TokenTag token_tag(std::span<const std::byte, connect_token_private_bytes> encrypted) noexcept {
  TokenTag tag{};
  std::memcpy(tag.data(), encrypted.data() + private_token_plaintext_bytes, mac_bytes);
  return tag;
}

/// Writes the public token, zero padded to 2048 bytes; false if it does not fit.
[[nodiscard]] inline bool write_connect_token(const ConnectTokenContents& t,
                                              std::span<std::byte, connect_token_bytes> out) noexcept {
  std::memset(out.data(), 0, out.size());
  courier::detail::ByteWriter w(out);
  w.bytes(version_info.data(), version_info.size());
  w.u64(t.protocol_id);
  w.u64(t.create_timestamp);
  w.u64(t.expire_timestamp);
  w.bytes(t.nonce.data(), t.nonce.size());
  w.bytes(t.private_data.data(), t.private_data.size());
  w.u32(static_cast<std::uint32_t>(t.timeout_seconds));
  detail::write_address_list(w, t.server_addresses);
  w.bytes(t.client_to_server_key.data(), key_bytes);
  w.bytes(t.server_to_client_key.data(), key_bytes);
  return w.ok();
}

/// Parses a public token the way a netcode client does: exactly 2048 bytes, version
/// "NETCODE 1.02", create <= expire, 1..32 addresses of type 1 or 2. It neither checks the
/// protocol id nor decrypts the private part (the client cannot).
[[nodiscard]] inline std::optional<ConnectTokenContents> read_connect_token(std::span<const std::byte> in) noexcept {
  if (in.size() != connect_token_bytes) return std::nullopt;
  courier::detail::ByteReader r(in);
  std::array<std::uint8_t, version_info_bytes> version{};
  r.bytes(version.data(), version.size());
  if (version != version_info) return std::nullopt;
  ConnectTokenContents t;
  t.protocol_id = r.u64();
  t.create_timestamp = r.u64();
  t.expire_timestamp = r.u64();
  if (t.create_timestamp > t.expire_timestamp) return std::nullopt;
  r.bytes(t.nonce.data(), t.nonce.size());
  r.bytes(t.private_data.data(), t.private_data.size());
  t.timeout_seconds = static_cast<std::int32_t>(r.u32());
  if (!detail::read_address_list(r, t.server_addresses)) return std::nullopt;
  r.bytes(t.client_to_server_key.data(), key_bytes);
  r.bytes(t.server_to_client_key.data(), key_bytes);
  if (!r.ok()) return std::nullopt;
  return t;
}

}  // namespace courier::netcode
