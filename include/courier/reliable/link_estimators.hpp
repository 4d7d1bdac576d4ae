#pragma once
/// \file
/// The estimators behind EndpointStats: round-trip time and byte rates. Each is O(1) per
/// sample and holds no buffer, so measuring costs nothing per packet.

#include <algorithm>
#include <cstddef>

#include "courier/core/time.hpp"

namespace courier::detail {

/// Smoothed RTT and jitter after RFC 6298 (gains 1/8 and 1/4), plus the minimum.
class RttEstimator {
 public:
  explicit RttEstimator(Duration initial) noexcept : srtt_(initial), jitter_(initial / 2) {}

  void sample(Duration rtt) noexcept {
    if (rtt < Duration::zero()) rtt = Duration::zero();
    latest_ = rtt;
    if (!any_) {
      srtt_ = rtt;
      jitter_ = rtt / 2;
      min_ = rtt;
      any_ = true;
      return;
    }
    const Duration dev = rtt > srtt_ ? rtt - srtt_ : srtt_ - rtt;
    jitter_ += (dev - jitter_) / 4;
    srtt_ += (rtt - srtt_) / 8;
    min_ = std::min(min_, rtt);
  }

  [[nodiscard]] Duration smoothed() const noexcept { return srtt_; }
  [[nodiscard]] Duration jitter() const noexcept { return jitter_; }
  [[nodiscard]] Duration min() const noexcept { return min_; }
  [[nodiscard]] Duration latest() const noexcept { return latest_; }

 private:
  Duration srtt_;
  Duration jitter_;
  Duration min_{};
  Duration latest_{};
  bool any_ = false;
};

/// Bytes per second over fixed windows, smoothed across windows (gain 1/4).
class RateMeter {
 public:
  void add(TimePoint now, std::size_t bytes) noexcept {
    roll(now);
    bytes_ += bytes;
  }
  /// Closes the current window if it is over; call before reading at a quiet moment.
  void roll(TimePoint now) noexcept {
    if (!started_) {
      start_ = now;
      started_ = true;
      return;
    }
    const Duration elapsed = now - start_;
    if (elapsed < window) return;
    const double rate = static_cast<double>(bytes_) * 8.0 / 1000.0 / to_seconds(elapsed);
    kbps_ = first_ ? rate : kbps_ + (rate - kbps_) / 4.0;
    first_ = false;
    bytes_ = 0;
    start_ = now;
  }
  [[nodiscard]] double kbps() const noexcept { return kbps_; }

  static constexpr Duration window = std::chrono::milliseconds(250);

 private:
  TimePoint start_{};
  std::size_t bytes_ = 0;
  double kbps_ = 0;
  bool started_ = false;
  bool first_ = true;
};

}  // namespace courier::detail
