#pragma once
/// \file
/// Pacer: spreads packets over time at a set rate (a token bucket in bytes, RFC 2697's
/// single-rate form without colours). A packet may leave while the bucket is not empty; it may
/// take the bucket below zero, and the next one waits until the deficit is paid back. The
/// bucket holds at most `burst` bytes, so a pause never turns into a burst larger than that.

#include <algorithm>
#include <cstdint>

#include "courier/core/time.hpp"

namespace courier::detail {

class Pacer {
 public:
  explicit Pacer(double burst_bytes) noexcept : burst_(burst_bytes), tokens_(burst_bytes) {}

  /// Bytes per second from `now` on, and the largest burst after a pause (what accrued before
  /// is kept, up to the new burst).
  void set_rate(TimePoint now, double bytes_per_second, double burst_bytes) noexcept {
    tokens_ = tokens_at(now);
    last_ = now;
    rate_ = bytes_per_second;
    burst_ = burst_bytes;
    tokens_ = std::min(tokens_, burst_);
  }
  [[nodiscard]] double rate() const noexcept { return rate_; }

  /// True when a packet may leave now.
  [[nodiscard]] bool ready(TimePoint now) const noexcept { return tokens_at(now) > 0; }

  /// A packet of `bytes` left now.
  void spend(TimePoint now, std::uint32_t bytes) noexcept {
    tokens_ = tokens_at(now) - static_cast<double>(bytes);
    last_ = now;
  }

  /// When `ready` becomes true (now or earlier when it is already).
  [[nodiscard]] TimePoint next_time() const noexcept {
    if (tokens_ > 0 || rate_ <= 0) return last_;
    return last_ + from_seconds(-tokens_ / rate_) + Duration(1);
  }

 private:
  [[nodiscard]] double tokens_at(TimePoint now) const noexcept {
    if (now <= last_) return tokens_;
    return std::min(burst_, tokens_ + rate_ * to_seconds(now - last_));
  }

  double burst_;
  double tokens_;
  double rate_ = 0;
  TimePoint last_{};
};

}  // namespace courier::detail
