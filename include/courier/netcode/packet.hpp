#pragma once
/// \file
/// Writers for the seven netcode 1.02 packet types (docs/PROTOCOL.md Part 1 §5, "Packets", and
/// §6, "Sequence numbers"). Every writer returns the datagram size, or 0 when the output buffer
/// is too small or the input is out of range.
///
/// Request: `00 || version(13) || protocol_id || expire || nonce(24) || private token(1024)`.
/// Others: `prefix = (sequence bytes << 4) | type`, the sequence LE in the minimal number of
/// bytes, then AEAD(plaintext) with AD = `version || protocol_id || prefix` and the nonce of the
/// sequence.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "courier/core/byte_cursor.hpp"
#include "courier/core/time.hpp"
#include "courier/crypto/crypto.hpp"
#include "courier/netcode/challenge_token.hpp"
#include "courier/netcode/connect_token.hpp"
#include "courier/netcode/constants.hpp"

namespace courier::netcode {

/// The fields of a connection request (the version is implied).
struct ConnectionRequestPacket {
  std::uint64_t protocol_id = 0;
  UnixSeconds expire_timestamp = 0;
  TokenNonce nonce{};
  EncryptedPrivateToken private_data{};
};

/// The bytes one sequence number needs, 1..8 (0 still takes one byte).
[[nodiscard]] constexpr std::size_t sequence_bytes(std::uint64_t sequence) noexcept {
  std::size_t n = 1;
  while (n < 8 && (sequence >> (8 * n)) != 0) ++n;
  return n;
}

/// The 22-byte packet associated data: version || protocol_id || prefix.
[[nodiscard]] inline std::array<std::byte, version_info_bytes + 9> packet_associated_data(
    std::uint64_t protocol_id, std::uint8_t prefix) noexcept {
  std::array<std::byte, version_info_bytes + 9> ad{};
  courier::detail::ByteWriter w(ad);
  w.bytes(version_info.data(), version_info.size());
  w.u64(protocol_id);
  w.u8(prefix);
  return ad;
}

/// Writes a 1078-byte connection request.
[[nodiscard]] inline std::size_t write_connection_request(const ConnectionRequestPacket& p,
                                                          std::span<std::byte> out) noexcept {
  if (out.size() < connection_request_bytes) return 0;
  courier::detail::ByteWriter w(out);
  w.u8(0);
  w.bytes(version_info.data(), version_info.size());
  w.u64(p.protocol_id);
  w.u64(p.expire_timestamp);
  w.bytes(p.nonce.data(), p.nonce.size());
  w.bytes(p.private_data.data(), p.private_data.size());
  return w.ok() ? w.position() : 0;
}

/// Frames and seals any encrypted packet around `plaintext`; `plaintext` is read directly (a
/// payload is never copied before it is sealed). It must not overlap `out`.
template <Crypto C>
[[nodiscard]] std::size_t write_encrypted_packet(PacketType type, std::span<const std::byte> plaintext,
                                                 std::uint64_t sequence, std::uint64_t protocol_id,
                                                 const Key& key, std::span<std::byte> out) noexcept {
  static_assert(C::mac_bytes == mac_bytes, "netcode framing needs a 16-byte tag");
  const std::size_t n = sequence_bytes(sequence);
  const std::size_t total = 1 + n + plaintext.size() + mac_bytes;
  if (type == PacketType::connection_request || out.size() < total) return 0;
  const auto prefix = static_cast<std::uint8_t>((n << 4) | static_cast<unsigned>(type));
  courier::detail::ByteWriter w(out);
  w.u8(prefix);
  w.uint(sequence, n);
  const auto ad = packet_associated_data(protocol_id, prefix);
  if (!C::seal(plaintext, ad, sequence, key, out.subspan(1 + n, plaintext.size() + mac_bytes))) return 0;
  return total;
}

/// Connection denied: no plaintext.
template <Crypto C>
[[nodiscard]] std::size_t write_connection_denied(std::uint64_t sequence, std::uint64_t protocol_id,
                                                  const Key& key, std::span<std::byte> out) noexcept {
  return write_encrypted_packet<C>(PacketType::connection_denied, {}, sequence, protocol_id, key, out);
}

/// Challenge or response: challenge sequence u64 || encrypted challenge token (300).
template <Crypto C>
[[nodiscard]] std::size_t write_challenge_or_response(PacketType type, std::uint64_t challenge_sequence,
                                                      std::span<const std::byte, challenge_token_bytes> token,
                                                      std::uint64_t sequence, std::uint64_t protocol_id,
                                                      const Key& key, std::span<std::byte> out) noexcept {
  if (type != PacketType::connection_challenge && type != PacketType::connection_response) return 0;
  std::array<std::byte, challenge_plaintext_bytes> plain{};
  courier::detail::ByteWriter w(plain);
  w.u64(challenge_sequence);
  w.bytes(token.data(), token.size());
  return write_encrypted_packet<C>(type, plain, sequence, protocol_id, key, out);
}

/// Keep-alive: client index u32 || max clients u32 (a client writes 0, 0).
template <Crypto C>
[[nodiscard]] std::size_t write_keep_alive(std::uint32_t client_index, std::uint32_t max_clients,
                                           std::uint64_t sequence, std::uint64_t protocol_id,
                                           const Key& key, std::span<std::byte> out) noexcept {
  std::array<std::byte, keep_alive_plaintext_bytes> plain{};
  courier::detail::ByteWriter w(plain);
  w.u32(client_index);
  w.u32(max_clients);
  return write_encrypted_packet<C>(PacketType::keep_alive, plain, sequence, protocol_id, key, out);
}

/// Payload of 1..1200 bytes (0 bytes is refused: every reader drops it).
template <Crypto C>
[[nodiscard]] std::size_t write_payload(std::span<const std::byte> payload, std::uint64_t sequence,
                                        std::uint64_t protocol_id, const Key& key,
                                        std::span<std::byte> out) noexcept {
  if (payload.empty() || payload.size() > max_payload_bytes) return 0;
  return write_encrypted_packet<C>(PacketType::payload, payload, sequence, protocol_id, key, out);
}

/// Disconnect: no plaintext.
template <Crypto C>
[[nodiscard]] std::size_t write_disconnect(std::uint64_t sequence, std::uint64_t protocol_id,
                                           const Key& key, std::span<std::byte> out) noexcept {
  return write_encrypted_packet<C>(PacketType::disconnect, {}, sequence, protocol_id, key, out);
}

}  // namespace courier::netcode
