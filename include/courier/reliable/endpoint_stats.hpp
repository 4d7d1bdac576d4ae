#pragma once
/// \file
/// EndpointStats: what a ReliableEndpoint measured about its link.

#include <cstdint>

#include "courier/core/drop_reason.hpp"
#include "courier/core/time.hpp"

namespace courier {

/// Link estimates and counters of one ReliableEndpoint. Bandwidths are smoothed over
/// quarter-second windows; loss is an exponential average over resolved packets.
struct EndpointStats {
  Duration rtt{};          ///< smoothed round-trip time (RFC 6298 style, 1/8 gain)
  Duration min_rtt{};      ///< smallest sample seen
  Duration latest_rtt{};   ///< the last sample
  Duration jitter{};       ///< mean deviation of the samples (1/4 gain)
  double packet_loss = 0;  ///< fraction of ack-asking packets found lost, 0 .. 1
  double sent_kbps = 0;     ///< bytes handed to the connection layer
  double received_kbps = 0; ///< bytes read from it
  double acked_kbps = 0;    ///< bytes of packets the peer acked

  std::uint64_t packets_sent = 0;
  std::uint64_t packets_received = 0;  ///< accepted (not dropped, not duplicates)
  std::uint64_t packets_acked = 0;
  std::uint64_t packets_lost = 0;      ///< ack-asking packets declared lost
  std::uint64_t late_acks = 0;         ///< acks for packets already declared lost (ignored)
  std::uint64_t fragments_sent = 0;
  std::uint64_t fragments_received = 0;
  std::uint64_t ack_only_packets_sent = 0;
  DropCounters drops;                   ///< datagrams dropped, by reason
};

}  // namespace courier
