#pragma once
/// \file
/// The staged read path of netcode 1.02 (docs/PROTOCOL.md Part 1 §7, "Reading a datagram"; the
/// reference's order of checks is in tests/data/netcode/README.md). Cheap checks first, the
/// replay test before decryption, the replay window advanced only after a successful decryption,
/// and the plaintext size checked last (it is only known then). Every rejection is a DropReason;
/// nothing here throws, asserts or allocates.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "courier/core/byte_cursor.hpp"
#include "courier/core/drop_reason.hpp"
#include "courier/core/time.hpp"
#include "courier/crypto/crypto.hpp"
#include "courier/netcode/connect_token.hpp"
#include "courier/netcode/constants.hpp"
#include "courier/netcode/packet.hpp"
#include "courier/netcode/replay_protection.hpp"

namespace courier::netcode {

/// What the reader needs to know about the receiving side.
struct ReadContext {
  std::uint64_t protocol_id = 0;
  UnixSeconds unix_now = 0;                 ///< requests expiring at or before this are dropped
  PacketTypeSet allowed = 0;                ///< server_packet_types or client_packet_types
  const Key* read_key = nullptr;            ///< key of the sender (encrypted packets); null: none
  const Key* private_key = nullptr;         ///< connect-token key (requests); null: none
  ReplayProtection<>* replay = nullptr;     ///< window of the sender; null: not yet connected
};

/// A packet that passed every check. Spans point into the datagram or the caller's buffer.
struct PacketView {
  PacketType type = PacketType::connection_request;
  std::uint64_t sequence = 0;
  std::span<const std::byte> plaintext;     ///< decrypted bytes (payload, token plaintext...)
  // connection request
  UnixSeconds expire_timestamp = 0;
  TokenNonce token_nonce{};
  std::span<const std::byte> encrypted_private_token;  ///< 1024 bytes inside the datagram
  // challenge and response
  std::uint64_t challenge_sequence = 0;
  std::span<const std::byte> challenge_token;          ///< 300 bytes inside `plaintext`
  // keep-alive
  std::uint32_t client_index = 0;
  std::uint32_t max_clients = 0;
};

/// The outcome of one read: a packet, or the reason it was dropped.
struct ReadResult {
  PacketView packet;
  DropReason reason = DropReason::malformed;
  bool ok = false;

  explicit operator bool() const noexcept { return ok; }
};

namespace detail {

[[nodiscard]] inline ReadResult drop(DropReason r) noexcept {
  ReadResult result;
  result.reason = r;
  return result;
}

/// The exact plaintext size of each type (payload: 1..1200).
[[nodiscard]] constexpr bool plaintext_size_ok(PacketType t, std::size_t n) noexcept {
  switch (t) {
    case PacketType::connection_denied:
    case PacketType::disconnect: return n == 0;
    case PacketType::connection_challenge:
    case PacketType::connection_response: return n == challenge_plaintext_bytes;
    case PacketType::keep_alive: return n == keep_alive_plaintext_bytes;
    case PacketType::payload: return n >= 1 && n <= max_payload_bytes;
    case PacketType::connection_request: return false;
  }
  return false;
}

/// Fills the typed fields from an authenticated plaintext of the right size.
inline void parse_fields(PacketView& p) noexcept {
  courier::detail::ByteReader r(p.plaintext);
  if (p.type == PacketType::keep_alive) {
    p.client_index = r.u32();
    p.max_clients = r.u32();
  } else if (p.type == PacketType::connection_challenge || p.type == PacketType::connection_response) {
    p.challenge_sequence = r.u64();
    p.challenge_token = r.view(challenge_token_bytes);
  }
}

/// Request path without cryptography: allowed, length 1078, version, protocol id, expiry. The
/// packet's spans point into `in`; its private token is still sealed (see open_request).
[[nodiscard]] inline ReadResult read_request_header(std::span<const std::byte> in, const ReadContext& ctx) noexcept {
  if ((ctx.allowed & packet_type_bit(PacketType::connection_request)) == 0)
    return drop(DropReason::wrong_direction);
  if (in.size() != connection_request_bytes)
    return drop(in.size() < connection_request_bytes ? DropReason::too_small : DropReason::too_large);
  courier::detail::ByteReader r(in.subspan(1));
  std::array<std::uint8_t, version_info_bytes> version{};
  r.bytes(version.data(), version.size());
  if (version != version_info || r.u64() != ctx.protocol_id) return drop(DropReason::protocol_mismatch);
  ReadResult result;
  PacketView& p = result.packet;
  p.type = PacketType::connection_request;
  p.expire_timestamp = r.u64();
  if (p.expire_timestamp <= ctx.unix_now) return drop(DropReason::token_expired);
  r.bytes(p.token_nonce.data(), p.token_nonce.size());
  p.encrypted_private_token = r.view(connect_token_private_bytes);
  result.ok = true;
  return result;
}

/// Decrypts the private token of a request that passed read_request_header into `plain`.
template <Crypto C>
[[nodiscard]] ReadResult open_request(ReadResult header, const ReadContext& ctx, std::span<std::byte> plain) noexcept {
  PacketView& p = header.packet;
  if (ctx.private_key == nullptr || plain.size() < private_token_plaintext_bytes)
    return drop(DropReason::token_invalid);
  const auto out = plain.first<private_token_plaintext_bytes>();
  if (!decrypt_private_token<C>(p.encrypted_private_token.first<connect_token_private_bytes>(),
                                ctx.protocol_id, p.expire_timestamp, p.token_nonce,
                                *ctx.private_key, out))
    return drop(DropReason::token_invalid);
  p.plaintext = out;
  return header;
}

/// The whole request path: header checks, then decryption.
template <Crypto C>
[[nodiscard]] ReadResult read_request(std::span<const std::byte> in, const ReadContext& ctx,
                                      std::span<std::byte> plain) noexcept {
  ReadResult header = read_request_header(in, ctx);
  if (!header) return header;
  return open_request<C>(header, ctx, plain);
}

/// True when the datagram's prefix names a payload packet (read before anything is decrypted,
/// to refuse a payload there is no room for without paying for its decryption).
[[nodiscard]] inline bool is_payload_prefix(std::span<const std::byte> in) noexcept {
  return !in.empty() && (static_cast<unsigned>(in[0]) & 0x0f) == static_cast<unsigned>(PacketType::payload);
}

/// Framing checks of an encrypted packet, up to and including reading the sequence.
[[nodiscard]] inline ReadResult read_header(std::span<const std::byte> in, const ReadContext& ctx) noexcept {
  if (ctx.read_key == nullptr) return drop(DropReason::unknown_sender);
  if (in.size() < min_encrypted_packet_bytes) return drop(DropReason::too_small);
  const auto prefix = static_cast<std::uint8_t>(in[0]);
  const unsigned type = prefix & 0x0f;
  if (type >= packet_type_count) return drop(DropReason::unknown_type);
  if ((ctx.allowed & (1u << type)) == 0) return drop(DropReason::wrong_direction);
  const std::size_t n = prefix >> 4;
  if (n < 1 || n > 8) return drop(DropReason::bad_sequence_bytes);
  if (in.size() < 1 + n + mac_bytes) return drop(DropReason::too_small);
  courier::detail::ByteReader r(in.subspan(1));
  ReadResult result;
  result.packet.type = static_cast<PacketType>(type);
  result.packet.sequence = r.uint(n);
  result.ok = true;
  return result;
}

}  // namespace detail

/// Reads one datagram. `plain` receives the decrypted bytes (at least max_packet_bytes, or the
/// 1008 bytes of a private token); the returned spans point into `in` and `plain`.
template <Crypto C>
[[nodiscard]] ReadResult read_packet(std::span<const std::byte> in, const ReadContext& ctx,
                                     std::span<std::byte> plain) noexcept {
  if (in.empty()) return detail::drop(DropReason::too_small);
  if (in[0] == std::byte{0}) return detail::read_request<C>(in, ctx, plain);
  ReadResult result = detail::read_header(in, ctx);
  if (!result) return result;
  PacketView& p = result.packet;
  const std::size_t n = static_cast<std::size_t>(in[0]) >> 4;
  const bool protect = replay_protected(p.type) && ctx.replay != nullptr;
  if (protect && ctx.replay->already_received(p.sequence)) return detail::drop(DropReason::replayed);
  const auto cipher = in.subspan(1 + n);
  if (cipher.size() - mac_bytes > plain.size()) return detail::drop(DropReason::too_large);
  const auto out = plain.first(cipher.size() - mac_bytes);
  const auto ad = packet_associated_data(ctx.protocol_id, static_cast<std::uint8_t>(in[0]));
  if (!C::open(cipher, ad, p.sequence, *ctx.read_key, out)) return detail::drop(DropReason::decrypt_failed);
  if (protect) ctx.replay->advance(p.sequence);
  if (p.type == PacketType::connection_request) return detail::drop(DropReason::unknown_type);
  if (!detail::plaintext_size_ok(p.type, out.size())) return detail::drop(DropReason::bad_size);
  p.plaintext = out;
  detail::parse_fields(p);
  return result;
}

}  // namespace courier::netcode
