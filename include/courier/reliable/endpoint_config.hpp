#pragma once
/// \file
/// EndpointConfig: the knobs of one ReliableEndpoint, checked once at construction.

#include <cstddef>
#include <stdexcept>

#include "courier/core/time.hpp"
#include "courier/reliable/packet_header.hpp"

namespace courier {

/// The connection layer's largest payload (netcode.io 1.02): every datagram the endpoint
/// writes, regular packet or fragment, fits in it.
inline constexpr std::size_t max_datagram_payload_bytes = 1200;

/// Data bytes in every fragment but the last.
inline constexpr std::size_t packet_fragment_bytes =
    max_datagram_payload_bytes - PacketHeader::fragment_header_bytes;

/// Configuration of a ReliableEndpoint. Defaults suit a game at 30–120 packets per second.
struct EndpointConfig {
  /// Largest packet (header + body) before fragmentation; up to 256 fragments.
  std::size_t max_packet_bytes = 8 * 1024;
  /// Packets whose fragments may be in reassembly at once; more are dropped (table_full).
  std::size_t max_packets_in_reassembly = 4;
  /// Sent packets remembered for acks (power of two). An older unresolved packet is lost.
  std::size_t sent_packets = 256;
  /// Received packets remembered for acks and duplicate detection (power of two, ≥ 64).
  std::size_t received_packets = 256;
  /// An idle side acks after this long ...
  Duration max_ack_delay = std::chrono::milliseconds(10);
  /// ... or once this many packets that ask for an ack are waiting.
  std::size_t ack_after_packets = 8;
  /// RTT assumed before the first sample.
  Duration initial_rtt = std::chrono::milliseconds(100);
  /// A packet is lost once a packet this many sequences newer was acked and srtt + 2·jitter
  /// passed ...
  std::size_t loss_packet_threshold = 3;
  /// ... or once srtt + 4·jitter + max_ack_delay passed, clamped to these bounds.
  Duration min_loss_timeout = std::chrono::milliseconds(25);
  Duration max_loss_timeout = std::chrono::seconds(2);

  [[nodiscard]] std::size_t max_fragments() const noexcept {
    return (max_packet_bytes + packet_fragment_bytes - 1) / packet_fragment_bytes;
  }

  /// Throws std::invalid_argument naming the first value out of range.
  void validate() const {
    if (max_packet_bytes < max_datagram_payload_bytes || max_fragments() > 256)
      throw std::invalid_argument("EndpointConfig::max_packet_bytes must be in [1200, 256 fragments]");
    if (max_packets_in_reassembly == 0 || max_packets_in_reassembly > 64)
      throw std::invalid_argument("EndpointConfig::max_packets_in_reassembly must be in [1, 64]");
    if (received_packets < 64)
      throw std::invalid_argument("EndpointConfig::received_packets must be at least 64 (ack bits)");
    if (ack_after_packets == 0 || loss_packet_threshold == 0)
      throw std::invalid_argument("EndpointConfig ack/loss thresholds must be positive");
    if (min_loss_timeout <= Duration::zero() || max_loss_timeout < min_loss_timeout)
      throw std::invalid_argument("EndpointConfig loss timeouts must satisfy 0 < min <= max");
  }
};

}  // namespace courier
