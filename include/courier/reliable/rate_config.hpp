#pragma once
/// \file
/// RateConfig: the bounds and switches of a connection's send-rate controller
/// (reliable/rate_controller.hpp; the design is in docs/PERFORMANCE.md, "Congestion control").

#include <cstdint>
#include <stdexcept>

#include "courier/core/time.hpp"

namespace courier {

/// Settings of the per-connection send-rate controller. Rates are bytes per second of packets
/// as the connection writes them (courier headers included, netcode and UDP/IP headers not).
struct RateConfig {
  /// Off: packets go out as fast as the application writes them (the behaviour before the
  /// controller; bounded only by max_messages_in_flight). On: packets are paced at the
  /// estimated bottleneck rate and bytes in flight are capped near the path's capacity.
  bool enabled = false;
  /// The controller never paces below this: 32 KiB/s carries a 60 Hz stream of 500-byte
  /// messages with their headers, so a real-time channel keeps its tick rate on any link.
  std::uint64_t min_bytes_per_second = 32 * 1024;
  /// Nor above this; 0: no upper bound.
  std::uint64_t max_bytes_per_second = 0;
  /// The rate before the first measurement (then the controller's start-up doubles it per RTT).
  std::uint64_t initial_bytes_per_second = 128 * 1024;
  /// The pacer lets a burst of this many bytes leave at once after a pause (at least one
  /// packet), so a tick-driven sender can still write a packet each tick; or 1 ms at the
  /// pacing rate when that is more (at most 64 KiB), so fast links keep batching.
  std::uint32_t max_burst_bytes = 2 * 1200;

  /// The first value out of range, as a sentence; nullptr when all are in range.
  [[nodiscard]] const char* check() const noexcept {
    if (min_bytes_per_second == 0) return "RateConfig::min_bytes_per_second must be positive";
    if (max_bytes_per_second != 0 && max_bytes_per_second < min_bytes_per_second)
      return "RateConfig::max_bytes_per_second must be 0 or at least min_bytes_per_second";
    if (max_burst_bytes < 1200) return "RateConfig::max_burst_bytes must hold one packet (1200)";
    return nullptr;
  }

  /// Throws std::invalid_argument naming the first value out of range.
  void validate() const {
    if (const char* e = check()) throw std::invalid_argument(e);
  }
};

}  // namespace courier
