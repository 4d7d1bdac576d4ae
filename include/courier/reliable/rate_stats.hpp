#pragma once
/// \file
/// RateStats: what a connection's send-rate controller estimates and does, readable each tick.

#include <cstdint>

#include "courier/core/time.hpp"

namespace courier {

/// The send-rate controller's phase (docs/PERFORMANCE.md, "Congestion control").
enum class RatePhase : std::uint8_t {
  off,       ///< RateConfig::enabled is false
  startup,   ///< doubling the rate each round trip until the delivery rate stops growing
  drain,     ///< sending below the estimate until the queue start-up built is gone
  probe_bw,  ///< cruising at the estimate, probing 25 % above it one round trip in eight
};

/// Per-connection figures of the send-rate controller. Rates in bytes per second of courier
/// packets.
struct RateStats {
  RatePhase phase = RatePhase::off;
  double bandwidth_bytes_per_second = 0;  ///< estimated bottleneck rate (windowed max delivery rate)
  double pacing_bytes_per_second = 0;     ///< the rate packets are paced at now
  std::uint64_t bytes_in_flight = 0;      ///< sent, asking for an ack, neither acked nor lost
  std::uint64_t congestion_window_bytes = 0;  ///< the cap on bytes_in_flight
  Duration min_rtt{};                     ///< the path's RTT without queueing (10 s window)
  std::uint64_t congestive_losses = 0;    ///< packets lost while the RTT showed a queue
  std::uint64_t link_losses = 0;          ///< packets lost without queueing: not congestion
  std::uint64_t paced_waits = 0;          ///< write_packet calls held back by the pacer or the window
};

}  // namespace courier
