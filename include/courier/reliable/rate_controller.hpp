#pragma once
/// \file
/// RateController: the send rate of one connection, a delivery-rate / minimum-RTT model after
/// BBR (Cardwell, Cheng, Gunn, Yeganeh, Jacobson, "BBR: Congestion-Based Congestion Control",
/// ACM Queue 14(5), 2016). The bottleneck rate is the windowed maximum of delivery-rate samples
/// (reliable/delivery_rate.hpp) over the last 10 round trips; packets are paced at a gain times
/// that rate (reliable/pacer.hpp) and the bytes in flight are capped at twice the estimated
/// bandwidth-delay product. Loss alone is not congestion: a loss is congestive only when the
/// RTT at that moment shows a queue (above min RTT by max(min RTT / 8, 2 ms)); a loss without
/// one (a lossy radio link) counts its bytes as carried, so the rate does not fall with it.
/// Why this model and not AIMD or a delay-based one: docs/PERFORMANCE.md, "Congestion control".

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

#include "courier/core/time.hpp"
#include "courier/reliable/delivery_rate.hpp"
#include "courier/reliable/pacer.hpp"
#include "courier/reliable/rate_config.hpp"
#include "courier/reliable/rate_stats.hpp"

namespace courier::detail {

/// A Connection builds one only when RateConfig::enabled (a disabled connection has none, and
/// reports RateStats{} with phase `off`).
class RateController {
 public:
  /// `packets`: how many sent packets the endpoint remembers (EndpointConfig::sent_packets).
  RateController(const RateConfig& config, std::size_t packets);

  /// True when a packet carrying data may be written now: the pacer has credit and the bytes
  /// in flight are under the window. Counts a refusal in the stats.
  bool may_send(TimePoint now) noexcept;

  /// The earliest time `may_send` can become true by the pacer alone.
  [[nodiscard]] TimePoint next_send_time() const noexcept { return pacer_.next_time(); }

  void on_sent(std::uint16_t seq, std::uint32_t bytes, TimePoint now) noexcept;
  void on_acked(std::uint16_t seq, TimePoint now) noexcept;
  void on_lost(std::uint16_t seq, TimePoint now) noexcept;
  /// An ack for a packet reported lost: it was delivered late (out of flight already).
  void on_late_ack(std::uint16_t seq, TimePoint now) noexcept;
  /// The application had nothing more to send: the samples of this flight are app-limited.
  void on_idle() noexcept { delivery_.on_idle(in_flight_); }

  [[nodiscard]] RateStats stats() const noexcept;

 private:
  static constexpr std::size_t bw_rounds = 10;
  static constexpr double startup_gain = 2.77;  // 2 / ln 2: doubles the delivery rate per round
  static constexpr std::array<double, 8> probe_gains = {1.25, 0.75, 1, 1, 1, 1, 1, 1};

  [[nodiscard]] double bandwidth() const noexcept;
  [[nodiscard]] std::uint64_t window() const noexcept;
  [[nodiscard]] bool queue_seen(Duration rtt) const noexcept;
  void on_sample(const RateSample& s, TimePoint now) noexcept;
  void new_round(TimePoint now) noexcept;
  void check_full_pipe() noexcept;
  void advance_phase(TimePoint now) noexcept;
  void enter_probe(TimePoint now, std::size_t phase) noexcept;
  void update_pacing(TimePoint now) noexcept;

  RateConfig config_;
  DeliveryRate delivery_;
  Pacer pacer_;
  RatePhase phase_;
  std::array<double, bw_rounds> round_max_{};  // delivery-rate maximum of each recent round
  double bw_ = 0;                               // max over round_max_
  std::uint64_t round_ = 0;
  std::uint64_t round_end_delivered_ = 0;       // a sample sent after this delivered count ends the round
  TimePoint round_start_time_{};                // when the current round began (once round_timed_)
  bool round_timed_ = false;
  bool round_had_sample_ = false;
  bool round_congested_ = false;                // a congestive loss in the current round
  double full_bw_ = 0;
  int full_bw_rounds_ = 0;
  std::size_t probe_phase_ = 0;
  TimePoint phase_start_{};
  double cycle_start_bw_ = 0;                   // bw_ when the probe cycle began
  Duration min_rtt_{};
  TimePoint min_rtt_stamp_{};
  Duration latest_rtt_{};
  Duration round_min_rtt_ = Duration::max();  // smallest RTT sample of the current round
  bool standing_queue_ = false;                 // the last round's smallest RTT showed a queue
  bool have_rtt_ = false;
  std::uint64_t in_flight_ = 0;
  std::uint64_t congestive_losses_ = 0, link_losses_ = 0, paced_waits_ = 0;
};

}  // namespace courier::detail

#if !defined(COURIER_SEPARATE_COMPILATION)
#include "courier/reliable/impl/rate_controller.hpp"
#endif
