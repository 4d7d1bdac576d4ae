#pragma once
/// \file
/// FloodWatch: the rate of datagrams from addresses without a session (strangers), measured over
/// whole seconds of the server's clock, for the stats (NetcodeServerStats::unauthenticated_per_second)
/// and for the operator's log line when it passes NetcodeServerConfig::flood_notice_per_second.
/// Players never count here: a busy server with many clients reads zero from it.

#include <cstdint>

#include "courier/core/time.hpp"

namespace courier::netcode::detail {

class FloodWatch {
 public:
  /// Call once per update with the running count of strangers' datagrams. True when a second
  /// ended with a rate of at least `threshold` (never when threshold is 0); rate() holds it.
  bool update(TimePoint now, std::uint64_t strangers_total, std::uint64_t threshold) noexcept {
    if (!started_) {
      started_ = true, window_start_ = now, count_at_start_ = strangers_total;
      return false;
    }
    const Duration elapsed = now - window_start_;
    if (elapsed < std::chrono::seconds(1)) return false;
    const double seconds = to_seconds(elapsed);
    rate_ = static_cast<std::uint64_t>(static_cast<double>(strangers_total - count_at_start_) / seconds);
    window_start_ = now, count_at_start_ = strangers_total;
    return threshold != 0 && rate_ >= threshold;
  }
  /// Strangers' datagrams a second over the last whole window (about a second).
  [[nodiscard]] std::uint64_t rate() const noexcept { return rate_; }

 private:
  bool started_ = false;
  TimePoint window_start_{};
  std::uint64_t count_at_start_ = 0;
  std::uint64_t rate_ = 0;
};

}  // namespace courier::netcode::detail
