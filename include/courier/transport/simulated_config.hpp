#pragma once
/// \file
/// SimulatedConfig: the impairments Simulated<Inner> applies to outgoing datagrams, and
/// SimulatedStats, what it measurably did.

#include <cstddef>
#include <cstdint>
#include <system_error>

#include "courier/core/chrono.hpp"
#include "courier/core/error.hpp"
#include "courier/core/time.hpp"

namespace courier {

/// Impairments of a simulated link, per direction (each endpoint impairs what it sends).
/// Probabilities are in [0, 1]; the defaults impair nothing.
struct SimulatedConfig {
  /// One-way delay of every datagram.
  Duration latency{0};
  /// Each datagram's delay is latency + a uniform draw in [-jitter, +jitter], floored at 0
  /// (a jitter above the latency therefore raises the mean delay a little). Draws are
  /// independent, so datagrams sent closer together than the jitter span can swap order, as
  /// with Linux netem; use jitter 0 to reorder only through `reorder`.
  Duration jitter{0};

  /// Independent loss: each datagram is lost with this probability.
  double loss = 0.0;
  /// Bursty loss (Gilbert–Elliott): before each datagram the link moves from the good to the
  /// bad state with probability `burst_enter` and back with `burst_exit`; in the bad state a
  /// datagram is lost with `burst_loss`. The link spends burst_enter / (burst_enter + burst_exit)
  /// of its datagrams in the bad state; bursts last 1 / burst_exit datagrams on average.
  double burst_enter = 0.0;
  double burst_exit = 1.0;  ///< see burst_enter
  double burst_loss = 1.0;  ///< see burst_enter

  /// Probability that a datagram is sent twice; the copy draws its own delay.
  double duplicate = 0.0;
  /// Probability that a datagram is held back `reorder_delay` longer than its delay, so the
  /// datagrams sent after it overtake it.
  double reorder = 0.0;
  Duration reorder_delay = std::chrono::milliseconds(30);  ///< see reorder

  /// Bandwidth cap in bytes per second (0: unlimited). Datagrams leave one after another at
  /// this rate; one that would wait longer than `max_queue_delay` for its turn is dropped,
  /// like a tail-drop router queue.
  std::uint64_t bandwidth_bytes_per_second = 0;
  Duration max_queue_delay = std::chrono::milliseconds(250);  ///< see bandwidth_bytes_per_second

  /// Datagrams the delay queue holds at most; beyond it a datagram is dropped and counted.
  std::size_t queue_capacity = 4096;

  /// Error::invalid_config when a value is out of range (a probability outside [0, 1] or NaN,
  /// a negative duration, a zero queue capacity); no error otherwise.
  [[nodiscard]] std::error_code validate() const noexcept {
    const auto probability = [](double p) { return p >= 0.0 && p <= 1.0; };  // false for NaN
    const bool ok = probability(loss) && probability(burst_enter) && probability(burst_exit) &&
                    probability(burst_loss) && probability(duplicate) && probability(reorder) &&
                    latency >= Duration::zero() && jitter >= Duration::zero() &&
                    reorder_delay >= Duration::zero() && max_queue_delay >= Duration::zero() &&
                    queue_capacity > 0;
    return ok ? std::error_code{} : make_error_code(Error::invalid_config);
  }
};

/// What a Simulated transport did to the datagrams it was given.
struct SimulatedStats {
  std::uint64_t sent = 0;                ///< datagrams accepted by send()
  std::uint64_t delivered = 0;           ///< handed to the inner transport (copies included)
  std::uint64_t lost_independent = 0;    ///< lost by `loss`
  std::uint64_t lost_burst = 0;          ///< lost in the bad state of the burst model
  std::uint64_t duplicated = 0;          ///< extra copies scheduled
  std::uint64_t reordered = 0;           ///< datagrams held back by `reorder`
  std::uint64_t dropped_bandwidth = 0;   ///< dropped by the bandwidth cap's queue limit
  std::uint64_t dropped_queue_full = 0;  ///< dropped because the delay queue was full
  std::uint64_t inner_send_errors = 0;   ///< released datagrams the inner transport refused
  Duration total_delay{0};               ///< sum over `delivered` of release time - send time

  /// Mean one-way delay added to delivered datagrams (zero before any delivery).
  [[nodiscard]] Duration mean_delay() const noexcept {
    return delivered == 0 ? Duration::zero() : total_delay / static_cast<std::int64_t>(delivered);
  }
};

}  // namespace courier
