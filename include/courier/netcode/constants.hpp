#pragma once
/// \file
/// The numbers of the netcode.io 1.02 standard (docs/PROTOCOL.md Part 1 §1) and the packet and client-state
/// enumerations, with their wire and API values.

#include <array>
#include <cstddef>
#include <cstdint>

#include "courier/core/chrono.hpp"

namespace courier::netcode {

inline constexpr std::size_t connect_token_bytes = 2048;          ///< public connect token
inline constexpr std::size_t connect_token_private_bytes = 1024;  ///< encrypted private part
inline constexpr std::size_t connect_token_nonce_bytes = 24;      ///< XChaCha20 nonce
inline constexpr std::size_t challenge_token_bytes = 300;         ///< encrypted challenge token
inline constexpr std::size_t version_info_bytes = 13;             ///< "NETCODE 1.02\0"
inline constexpr std::size_t key_bytes = 32;
inline constexpr std::size_t mac_bytes = 16;
inline constexpr std::size_t user_data_bytes = 256;
inline constexpr std::size_t max_servers_per_connect = 32;
inline constexpr std::size_t max_payload_bytes = 1200;            ///< NETCODE_MAX_PAYLOAD_BYTES
inline constexpr std::size_t max_packet_bytes = 1300;             ///< largest buffer ever needed
inline constexpr std::size_t connection_request_bytes = 1078;     ///< 1.02 request, exactly
inline constexpr std::size_t min_encrypted_packet_bytes = 1 + 1 + mac_bytes;  ///< 18
inline constexpr std::size_t challenge_plaintext_bytes = 8 + challenge_token_bytes;  ///< 308
inline constexpr std::size_t keep_alive_plaintext_bytes = 8;
inline constexpr std::size_t replay_buffer_size = 256;
inline constexpr std::size_t num_disconnect_packets = 10;
inline constexpr std::uint64_t global_sequence_start = std::uint64_t{1} << 63;

/// Requests, responses and keep-alives go out at 10 Hz.
inline constexpr std::chrono::milliseconds packet_send_interval{100};

/// "NETCODE 1.02" with its NUL terminator, as on the wire.
inline constexpr std::array<std::uint8_t, version_info_bytes> version_info = {
    'N', 'E', 'T', 'C', 'O', 'D', 'E', ' ', '1', '.', '0', '2', '\0'};

/// The seven packet types; the value is the low nibble of the prefix byte.
enum class PacketType : std::uint8_t {
  connection_request = 0,
  connection_denied = 1,
  connection_challenge = 2,
  connection_response = 3,
  keep_alive = 4,
  payload = 5,
  disconnect = 6,
};
inline constexpr std::size_t packet_type_count = 7;

/// A set of packet types, as a bit mask (bit n = type n).
using PacketTypeSet = std::uint8_t;

[[nodiscard]] constexpr PacketTypeSet packet_type_bit(PacketType t) noexcept {
  return static_cast<PacketTypeSet>(1u << static_cast<unsigned>(t));
}

/// What a server reads: request, response, keep-alive, payload, disconnect.
inline constexpr PacketTypeSet server_packet_types =
    packet_type_bit(PacketType::connection_request) | packet_type_bit(PacketType::connection_response) |
    packet_type_bit(PacketType::keep_alive) | packet_type_bit(PacketType::payload) |
    packet_type_bit(PacketType::disconnect);

/// What a client reads: denied, challenge, keep-alive, payload, disconnect.
inline constexpr PacketTypeSet client_packet_types =
    packet_type_bit(PacketType::connection_denied) | packet_type_bit(PacketType::connection_challenge) |
    packet_type_bit(PacketType::keep_alive) | packet_type_bit(PacketType::payload) |
    packet_type_bit(PacketType::disconnect);

/// Every type (used by tests that read with no direction filter).
inline constexpr PacketTypeSet all_packet_types = 0x7f;

/// The ten client states with netcode's numeric values (negative = error, 0 = idle).
enum class ClientState : std::int8_t {
  connect_token_expired = -6,
  invalid_connect_token = -5,
  connection_timed_out = -4,
  connection_response_timed_out = -3,
  connection_request_timed_out = -2,
  connection_denied = -1,
  disconnected = 0,
  sending_connection_request = 1,
  sending_connection_response = 2,
  connected = 3,
};

/// A short stable name for logs.
[[nodiscard]] constexpr const char* describe(ClientState s) noexcept {
  switch (s) {
    case ClientState::connect_token_expired: return "connect token expired";
    case ClientState::invalid_connect_token: return "invalid connect token";
    case ClientState::connection_timed_out: return "connection timed out";
    case ClientState::connection_response_timed_out: return "connection response timed out";
    case ClientState::connection_request_timed_out: return "connection request timed out";
    case ClientState::connection_denied: return "connection denied";
    case ClientState::disconnected: return "disconnected";
    case ClientState::sending_connection_request: return "sending connection request";
    case ClientState::sending_connection_response: return "sending connection response";
    case ClientState::connected: return "connected";
  }
  return "unknown";
}

/// A short stable name for logs.
[[nodiscard]] constexpr const char* describe(PacketType t) noexcept {
  constexpr std::array<const char*, packet_type_count> names = {
      "connection request", "connection denied", "connection challenge", "connection response",
      "keep-alive", "payload", "disconnect"};
  const auto i = static_cast<std::size_t>(t);
  return i < names.size() ? names[i] : "unknown";
}

}  // namespace courier::netcode
