#pragma once
/// \file
/// ConnectionStats: a Connection's link estimates and message counters.

#include <cstdint>

#include "courier/core/drop_reason.hpp"
#include "courier/reliable/endpoint_stats.hpp"
#include "courier/reliable/rate_stats.hpp"

namespace courier {

/// The message counters a Connection keeps itself (the link estimates come from its
/// endpoint and rate controller when `Connection::stats()` is read).
struct MessageCounters {
  /// Messages dropped inside accepted packets (duplicates, stale sequenced messages, full
  /// unreliable queues).
  DropCounters message_drops;
  std::uint64_t messages_sent = 0;        ///< accepted by send()
  std::uint64_t messages_refused = 0;     ///< refused by send() with an error
  std::uint64_t messages_received = 0;    ///< handed to the application by receive()
  std::uint64_t packets_written = 0;      ///< packets built (ack-only ones included)
  std::uint64_t protocol_violations = 0;  ///< datagrams that broke the protocol
};

/// Everything a Connection counts: its message counters, and `endpoint` with RTT, jitter,
/// loss, bandwidths and the packet-level drops.
struct ConnectionStats : MessageCounters {
  EndpointStats endpoint;
  RateStats rate;  ///< the send-rate controller's estimates (phase `off` when disabled)
};

}  // namespace courier
