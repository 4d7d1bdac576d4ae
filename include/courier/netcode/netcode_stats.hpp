#pragma once
/// \file
/// Counters of the netcode Client and Server. Every dropped datagram is counted by reason.

#include <array>
#include <cstddef>
#include <cstdint>

#include "courier/core/drop_reason.hpp"
#include "courier/netcode/constants.hpp"
#include "courier/transport/address.hpp"

namespace courier::netcode {

/// Counts shared by both sides.
struct NetcodeStats {
  DropCounters drops;                                        ///< datagrams dropped, by reason
  std::array<std::uint64_t, packet_type_count> sent{};       ///< packets sent, by PacketType
  std::array<std::uint64_t, packet_type_count> received{};   ///< packets accepted, by PacketType
  std::uint64_t payloads_sent = 0;
  std::uint64_t payloads_received = 0;                       ///< queued for the application
  std::uint64_t send_errors = 0;                             ///< the transport refused a send
  std::uint64_t events_lost = 0;                             ///< event queue full (never drained)
  /// Peers the transport reported unreachable (a WebSocket that failed or closed), acted on at
  /// once instead of at the timeout; always 0 over transports that cannot tell (Udp).
  std::uint64_t peers_unreachable = 0;

  [[nodiscard]] std::uint64_t sent_of(PacketType t) const noexcept { return sent[static_cast<std::size_t>(t)]; }
  [[nodiscard]] std::uint64_t received_of(PacketType t) const noexcept {
    return received[static_cast<std::size_t>(t)];
  }
};

/// Client counters.
struct NetcodeClientStats : NetcodeStats {};

/// Server counters, including what makes a misconfigured public address visible.
struct NetcodeServerStats : NetcodeStats {
  std::uint64_t connections_accepted = 0;
  std::uint64_t address_mismatches = 0;    ///< valid tokens naming another server address
  Address last_mismatch_from;              ///< client that sent the last such token
  Address last_mismatch_token_address;     ///< first address listed in that token
  std::uint64_t tokens_refused_consumed = 0;  ///< single-use rule hits
  /// Connection requests whose private token the server tried to decrypt (the costly step);
  /// set beside the requests refused before it (drops: token_reused, request_rate, ...).
  std::uint64_t request_decryptions = 0;
  /// Datagrams from addresses that hold no slot (connection requests, handshakes, and whatever
  /// else strangers send): their rate is the first sign of a flood.
  std::uint64_t unauthenticated_datagrams = 0;
  /// Their rate over the last whole second of the server's clock (FloodWatch).
  std::uint64_t unauthenticated_per_second = 0;
};

}  // namespace courier::netcode
