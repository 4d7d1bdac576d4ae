#pragma once
/// \file
/// RateController's function definitions: inline in header-only mode, compiled once by
/// courier/impl/src.hpp under COURIER_SEPARATE_COMPILATION (core/config.hpp).

#include <limits>

#include "courier/core/config.hpp"
#include "courier/reliable/rate_controller.hpp"

namespace courier::detail {

COURIER_DECL RateController::RateController(const RateConfig& config, std::size_t packets)
    : config_((config.validate(), config)), delivery_(packets),
      pacer_(static_cast<double>(config.max_burst_bytes)), phase_(RatePhase::startup) {
  update_pacing(TimePoint{});
}

COURIER_DECL bool RateController::may_send(TimePoint now) noexcept {
  if (pacer_.ready(now) && in_flight_ < window()) return true;
  ++paced_waits_;
  return false;
}

COURIER_DECL void RateController::on_sent(std::uint16_t seq, std::uint32_t bytes, TimePoint now) noexcept {
  delivery_.on_sent(seq, bytes, now, in_flight_);
  in_flight_ += bytes;
  pacer_.spend(now, bytes);
}

COURIER_DECL void RateController::on_acked(std::uint16_t seq, TimePoint now) noexcept {
  const auto s = delivery_.on_acked(seq, now, have_rtt_ ? min_rtt_ : Duration::zero());
  if (!s) return;
  in_flight_ -= std::min<std::uint64_t>(in_flight_, s->bytes);
  on_sample(*s, now);
}

COURIER_DECL void RateController::on_late_ack(std::uint16_t seq, TimePoint now) noexcept {
  const auto s = delivery_.on_acked(seq, now, have_rtt_ ? min_rtt_ : Duration::zero());
  if (s) on_sample(*s, now);
}

// A loss with a queue in sight is the bottleneck's: start-up ends, a probe above the estimate
// ends, and its bytes were not delivered. Without a queue the link dropped a packet the
// bottleneck had room for: its bytes count as carried and the rate stays (docs/PERFORMANCE.md).
COURIER_DECL void RateController::on_lost(std::uint16_t seq, TimePoint now) noexcept {
  const bool congestive = queue_seen(latest_rtt_);
  const std::uint32_t bytes = delivery_.on_lost(seq, !congestive);
  if (bytes == 0) return;
  in_flight_ -= std::min<std::uint64_t>(in_flight_, bytes);
  if (!congestive) {
    ++link_losses_;
    return;
  }
  ++congestive_losses_;
  round_congested_ = true;
  if (phase_ == RatePhase::startup) phase_ = RatePhase::drain;
  else if (phase_ == RatePhase::probe_bw && probe_gains[probe_phase_] > 1) enter_probe(now, probe_phase_ + 1);
  update_pacing(now);
}

COURIER_DECL RateStats RateController::stats() const noexcept {
  RateStats s;
  s.phase = phase_;
  s.bandwidth_bytes_per_second = bw_;
  s.pacing_bytes_per_second = pacer_.rate();
  s.bytes_in_flight = in_flight_;
  s.congestion_window_bytes = window();
  s.min_rtt = min_rtt_;
  s.congestive_losses = congestive_losses_;
  s.link_losses = link_losses_;
  s.paced_waits = paced_waits_;
  return s;
}

// The estimate the gains apply to: the measured bottleneck rate once there is one (start-up
// begins from the configured initial rate), never under the configured minimum.
COURIER_DECL double RateController::bandwidth() const noexcept {
  const double measured = bw_ > 0 ? bw_ : static_cast<double>(config_.initial_bytes_per_second);
  return std::max(measured, static_cast<double>(config_.min_bytes_per_second));
}

// Twice the bandwidth-delay product (BBR's cwnd gain: room for delayed and aggregated acks),
// at least four packets; unbounded before the first RTT sample (the pacer alone limits then).
COURIER_DECL std::uint64_t RateController::window() const noexcept {
  if (!have_rtt_) return std::numeric_limits<std::uint64_t>::max();
  const double bdp = bandwidth() * to_seconds(min_rtt_);
  return std::max<std::uint64_t>(static_cast<std::uint64_t>(2 * bdp), 4 * 1200);
}

COURIER_DECL bool RateController::queue_seen(Duration rtt) const noexcept {
  const Duration allowance = std::max<Duration>(min_rtt_ / 8, std::chrono::milliseconds(2));
  return have_rtt_ && rtt > min_rtt_ + allowance;
}

COURIER_DECL void RateController::on_sample(const RateSample& s, TimePoint now) noexcept {
  latest_rtt_ = s.rtt;
  round_min_rtt_ = std::min(round_min_rtt_, s.rtt);
  if (!have_rtt_ || s.rtt <= min_rtt_ || now - min_rtt_stamp_ > std::chrono::seconds(10)) {
    min_rtt_ = s.rtt;
    min_rtt_stamp_ = now;
    have_rtt_ = true;
  }
  if (s.prior_delivered >= round_end_delivered_) new_round(now);
  // An app-limited sample shows what the application sent, not what the path holds: it may
  // only raise the estimate.
  if (s.bytes_per_second > 0 && (!s.app_limited || s.bytes_per_second >= bw_)) {
    double& slot = round_max_[round_ % bw_rounds];
    slot = std::max(slot, s.bytes_per_second);
    bw_ = std::max(bw_, s.bytes_per_second);
    round_had_sample_ = round_had_sample_ || !s.app_limited;
  }
  advance_phase(now);
  update_pacing(now);
}

COURIER_DECL void RateController::new_round(TimePoint now) noexcept {
  if (phase_ == RatePhase::startup && round_had_sample_) check_full_pipe();
  // A round that lost packets to a queue measured what the path delivers now: older, higher
  // rounds leave the filter, so a rate that fell is followed in a round trip or two rather
  // than after the 10-round window (BBR's slow reaction to a shrinking bottleneck). Such a
  // round kept the bottleneck busy, so what it delivered over its length is the path's rate;
  // under half the estimate, the path fell (a cap dropped) and the estimate becomes that
  // average, since the per-packet samples of the same round still include packets that left
  // before the fall (with them, a 10x fall took twice as long: docs/PERFORMANCE.md).
  const double sample_max = round_max_[round_ % bw_rounds];
  if (round_congested_ && sample_max > 0) {
    const double seconds = round_timed_ ? to_seconds(now - round_start_time_) : 0;
    const double average = seconds > 0 ? static_cast<double>(delivery_.delivered() - round_end_delivered_) / seconds : 0;
    const bool fell = round_had_sample_ && average > 0 && average < 0.5 * bw_;
    round_max_.fill(0);
    round_max_[round_ % bw_rounds] = fell ? average : sample_max;
  }
  round_congested_ = false;
  ++round_;
  round_end_delivered_ = delivery_.delivered();
  round_start_time_ = now;
  round_timed_ = true;
  standing_queue_ = queue_seen(round_min_rtt_);
  round_min_rtt_ = Duration::max();
  round_had_sample_ = false;
  round_max_[round_ % bw_rounds] = 0;
  bw_ = *std::max_element(round_max_.begin(), round_max_.end());
}

// Start-up ends once three rounds in a row raised the estimate by less than 25 %.
COURIER_DECL void RateController::check_full_pipe() noexcept {
  if (bw_ >= full_bw_ * 1.25) {
    full_bw_ = bw_;
    full_bw_rounds_ = 0;
    return;
  }
  if (++full_bw_rounds_ >= 3) phase_ = RatePhase::drain;
}

COURIER_DECL void RateController::advance_phase(TimePoint now) noexcept {
  const double bdp = bandwidth() * to_seconds(min_rtt_);
  const bool drained = static_cast<double>(in_flight_) <= bdp;
  if (phase_ == RatePhase::drain) {
    if (drained) enter_probe(now, 2);
    return;
  }
  if (phase_ != RatePhase::probe_bw) return;
  const bool phase_over = now - phase_start_ >= min_rtt_;
  const bool up = probe_gains[probe_phase_] > 1;
  const bool down = probe_gains[probe_phase_] < 1;
  // A queue that stayed for a whole round (its smallest RTT above the floor: CoDel's standing
  // queue, RFC 8289) while cruising means the estimate is a little high: drain it now rather
  // than let the real-time channels wait behind it until the next probe cycle.
  if (!up && !down && standing_queue_) {
    standing_queue_ = false;
    enter_probe(now, 1);
    return;
  }
  // A probe whose samples (they come a round trip after it, so any phase of the cycle)
  // delivered 15 % more than the cycle began with means the path widened: start-up finds the
  // new rate in a few round trips, where probing alone would take 8 round trips per 25 %.
  if (bw_ >= cycle_start_bw_ * 1.15) {
    phase_ = RatePhase::startup;
    full_bw_ = bw_;
    full_bw_rounds_ = 0;
    return;
  }
  if (phase_over || (down && drained)) enter_probe(now, probe_phase_ + 1);
}

COURIER_DECL void RateController::enter_probe(TimePoint now, std::size_t phase) noexcept {
  if (phase_ != RatePhase::probe_bw || phase % probe_gains.size() == 0) cycle_start_bw_ = bw_;
  phase_ = RatePhase::probe_bw;
  probe_phase_ = phase % probe_gains.size();
  phase_start_ = now;
}

COURIER_DECL void RateController::update_pacing(TimePoint now) noexcept {
  double gain = 1;
  if (phase_ == RatePhase::startup) gain = startup_gain;
  else if (phase_ == RatePhase::drain) gain = 1 / startup_gain;
  else if (phase_ == RatePhase::probe_bw) gain = probe_gains[probe_phase_];
  double rate = std::max(gain * bandwidth(), static_cast<double>(config_.min_bytes_per_second));
  if (config_.max_bytes_per_second != 0) rate = std::min(rate, static_cast<double>(config_.max_bytes_per_second));
  // A burst of 1 ms at the pacing rate when that is more than the configured burst (BBR's send
  // quantum, up to 64 KiB): at LAN rates a flush then still hands the socket many packets at
  // once (one sendmmsg), where a two-packet burst would cost a system call per two packets.
  const double quantum = std::min(rate * 1e-3, 64.0 * 1024);
  pacer_.set_rate(now, rate, std::max(static_cast<double>(config_.max_burst_bytes), quantum));
}

}  // namespace courier::detail
