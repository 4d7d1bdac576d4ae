#pragma once
/// \file
/// ConnectionConfig: the channels of a connection and its packet-level limits.

#include <cstddef>
#include <stdexcept>
#include <vector>

#include "courier/channel/channel_config.hpp"
#include "courier/reliable/endpoint_config.hpp"
#include "courier/reliable/rate_config.hpp"

namespace courier {

/// Configuration of a Connection: its reliable endpoint, its channels (index = position) and the
/// bounds that keep a connection's memory fixed.
struct ConnectionConfig {
  EndpointConfig endpoint;
  /// The send-rate controller: pacing and a cap on bytes in flight (docs/PERFORMANCE.md,
  /// "Congestion control"). Off by default.
  RateConfig rate;
  /// 1 .. 64 channels. Default: channel 0 reliable-ordered, channel 1 unreliable.
  std::vector<ChannelConfig> channels = {ChannelConfig{},
                                         ChannelConfig{.mode = ChannelMode::unreliable}};
  /// Largest packet the connection builds. Up to 1200 a packet is one datagram; above, the
  /// endpoint fragments it (≤ endpoint.max_packet_bytes).
  std::size_t packet_budget_bytes = max_datagram_payload_bytes;
  /// Messages and fragments recorded across unresolved packets; a full record stops a packet
  /// from taking more until older packets are acked or lost.
  std::size_t max_messages_in_flight = 4096;
  /// Delivery-status records (every unfinished send holds one).
  std::size_t status_capacity = 4096;

  /// Throws std::invalid_argument naming the first value out of range.
  void validate() const {
    endpoint.validate();
    rate.validate();
    if (channels.empty() || channels.size() > 64)
      throw std::invalid_argument("ConnectionConfig needs 1 .. 64 channels");
    for (const ChannelConfig& c : channels) c.validate();
    if (packet_budget_bytes < max_datagram_payload_bytes || packet_budget_bytes > endpoint.max_packet_bytes)
      throw std::invalid_argument("ConnectionConfig::packet_budget_bytes must be in [1200, endpoint.max_packet_bytes]");
    if (max_messages_in_flight < 256 || status_capacity < 16)
      throw std::invalid_argument("ConnectionConfig: max_messages_in_flight >= 256, status_capacity >= 16");
  }
};

}  // namespace courier
