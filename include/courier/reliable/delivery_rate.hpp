#pragma once
/// \file
/// DeliveryRate: per-packet delivery-rate samples, after "Delivery Rate Estimation"
/// (Cheng, Cardwell, Yeganeh, Jacobson; draft-cheng-iccrg-delivery-rate-estimation), the
/// estimator BBR is built on. Each sent packet remembers how much had been delivered when it
/// left; when it is acked, the bytes delivered since, over the longer of the send and the ack
/// intervals, are a sample of the path's delivery rate. O(1) per packet, no allocation after
/// construction.

#include <algorithm>
#include <cstdint>
#include <optional>

#include "courier/core/time.hpp"
#include "courier/reliable/sequence_buffer.hpp"

namespace courier::detail {

/// One delivery-rate sample.
struct RateSample {
  double bytes_per_second = 0;
  Duration rtt{};            ///< of the packet that produced it
  std::uint32_t bytes = 0;   ///< of the packet that produced it
  std::uint64_t prior_delivered = 0;  ///< `delivered` when that packet was sent (rounds)
  bool app_limited = false;  ///< the sender had nothing to send: a lower bound only
};

class DeliveryRate {
 public:
  explicit DeliveryRate(std::size_t packets) : sent_(packets) {}

  /// A packet of `bytes` asking for an ack left now, with `in_flight` bytes before it.
  void on_sent(std::uint16_t seq, std::uint32_t bytes, TimePoint now, std::uint64_t in_flight) noexcept;

  /// The packet was acked: returns its sample (none for a packet not recorded or resolved
  /// already; a rate of 0 when the interval was shorter than `min_rtt`, which only ack
  /// compression makes). A packet reported lost before, and not counted as carried then, is
  /// delivered after all (a late ack).
  std::optional<RateSample> on_acked(std::uint16_t seq, TimePoint now, Duration min_rtt) noexcept;

  /// The packet was lost. `carried`: the link carried it and a non-congestive cause (a lossy
  /// radio link) dropped it, so its bytes count as delivered for later samples.
  /// Returns the packet's bytes (0 for a packet not recorded).
  std::uint32_t on_lost(std::uint16_t seq, bool carried) noexcept;

  /// The sender ran out of data: samples until what is in flight now is delivered are
  /// app-limited.
  void on_idle(std::uint64_t in_flight) noexcept { app_limited_until_ = std::max<std::uint64_t>(delivered_ + in_flight, 1); }

  [[nodiscard]] std::uint64_t delivered() const noexcept { return delivered_; }

 private:
  struct Sent {
    TimePoint time{};
    TimePoint delivered_time{};
    TimePoint first_sent_time{};
    std::uint64_t delivered = 0;
    std::uint32_t bytes = 0;
    bool app_limited = false;
    bool pending = false;
    bool lost_uncounted = false;  // declared lost, its bytes not counted delivered
  };

  SequenceBuffer<Sent> sent_;
  std::uint64_t delivered_ = 0;
  TimePoint delivered_time_{};
  TimePoint first_sent_time_{};
  std::uint64_t app_limited_until_ = 0;
};

inline void DeliveryRate::on_sent(std::uint16_t seq, std::uint32_t bytes, TimePoint now, std::uint64_t in_flight) noexcept {
  if (in_flight == 0) {  // a new flight: intervals start now, not at the last ack before a pause
    first_sent_time_ = now;
    delivered_time_ = now;
  }
  Sent* s = sent_.insert(seq);
  *s = Sent{now, delivered_time_, first_sent_time_, delivered_, bytes, app_limited_until_ > delivered_, true};
}

inline std::optional<RateSample> DeliveryRate::on_acked(std::uint16_t seq, TimePoint now, Duration min_rtt) noexcept {
  Sent* s = sent_.find(seq);
  if (s == nullptr || !(s->pending || s->lost_uncounted)) return std::nullopt;
  s->pending = false;
  s->lost_uncounted = false;
  delivered_ += s->bytes;
  delivered_time_ = now;
  first_sent_time_ = std::max(first_sent_time_, s->time);
  if (app_limited_until_ != 0 && delivered_ >= app_limited_until_) app_limited_until_ = 0;
  const Duration interval = std::max(s->time - s->first_sent_time, now - s->delivered_time);
  RateSample r;
  r.rtt = now - s->time;
  r.bytes = s->bytes;
  r.prior_delivered = s->delivered;
  r.app_limited = s->app_limited;
  // An interval shorter than the path's minimum RTT comes from ack compression; the sample
  // would overstate the rate, so it is skipped (as the draft does).
  if (interval <= Duration::zero() || interval < min_rtt) return r;
  r.bytes_per_second = static_cast<double>(delivered_ - s->delivered) / to_seconds(interval);
  return r;
}

inline std::uint32_t DeliveryRate::on_lost(std::uint16_t seq, bool carried) noexcept {
  Sent* s = sent_.find(seq);
  if (s == nullptr || !s->pending) return 0;
  s->pending = false;
  s->lost_uncounted = !carried;
  if (carried) delivered_ += s->bytes;
  return s->bytes;
}

}  // namespace courier::detail
