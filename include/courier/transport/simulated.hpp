#pragma once
/// \file
/// Simulated<Inner>: wraps any Transport and impairs what it sends — latency, jitter,
/// independent and bursty loss, duplication, reordering and a bandwidth cap — reproducibly from
/// a seed. Tests get minutes of bad-network play in milliseconds; a server can run a real Udp
/// socket through it to rehearse a bad link.
///
/// Time: the impairments run on the time given to `update(now)`; `send` uses the time of the
/// latest update. Call `update(now)` each tick before sending (the first update sets the clock;
/// until then the time is TimePoint{}, where a ManualClock starts).

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <system_error>
#include <utility>
#include <vector>

#include "courier/core/error.hpp"
#include "courier/core/random.hpp"
#include "courier/core/time.hpp"
#include "courier/transport/address.hpp"
#include "courier/transport/datagram.hpp"
#include "courier/transport/simulated_config.hpp"
#include "courier/transport/transport.hpp"

namespace courier {

/// A Transport that delays, drops, duplicates and reorders outgoing datagrams before handing
/// them to `Inner`. Received datagrams pass through untouched: wrap both ends to impair both
/// directions. Every random decision comes from one courier::Rng, so a seed and the same calls
/// give the same result on every compiler.
template <Transport Inner>
class Simulated {
 public:
  /// Throws std::system_error(Error::invalid_config) when `config` is out of range.
  Simulated(Inner inner, SimulatedConfig config, std::uint64_t seed)
      : inner_(std::move(inner)), rng_(seed) {
    set_config(config);
  }

  [[nodiscard]] Inner& inner() noexcept { return inner_; }
  [[nodiscard]] const Inner& inner() const noexcept { return inner_; }
  [[nodiscard]] const SimulatedConfig& config() const noexcept { return config_; }
  [[nodiscard]] const SimulatedStats& stats() const noexcept { return stats_; }
  /// Datagrams waiting in the delay queue.
  [[nodiscard]] std::size_t queued() const noexcept { return heap_.size(); }

  /// Changes the impairments from now on; datagrams already queued keep their release time.
  /// A larger queue_capacity allocates here (never on send); a smaller one only lowers the
  /// limit. Throws std::system_error(Error::invalid_config) when `config` is out of range.
  void set_config(const SimulatedConfig& config) {
    if (const auto ec = config.validate()) throw std::system_error(ec);
    if (config.queue_capacity > slots_.size()) grow(config.queue_capacity);
    config_ = config;
  }

  /// Applies loss, then the bandwidth cap, then delay; a zero delay hands the datagram to the
  /// inner transport at once. Errors (message_too_large, invalid_address) are checked here so
  /// the caller sees them now; dropping is not an error, it is the point.
  [[nodiscard]] std::error_code send(const Address& to, std::span<const std::byte> bytes) noexcept {
    if (bytes.size() > max_datagram_bytes) return Error::message_too_large;
    if (to.is_none()) return Error::invalid_address;
    ++stats_.sent;
    if (lose()) return {};
    schedule(to, bytes);
    if (config_.duplicate > 0.0 && rng_.chance(config_.duplicate)) {
      ++stats_.duplicated;
      schedule(to, bytes);
    }
    return {};
  }

  /// Releases what is due at the latest update's time, then flushes the inner transport.
  void flush() noexcept {
    release_due();
    inner_.flush();
  }

  [[nodiscard]] std::size_t receive(std::span<Datagram> slots) noexcept {
    return inner_.receive(slots);
  }

  /// Advances time (never backwards), updates the inner transport, and hands it every datagram
  /// whose release time has come, flushing it when any left.
  void update(TimePoint now) noexcept {
    now_ = std::max(now_, now);
    inner_.update(now_);
    if (release_due()) inner_.flush();
  }

  [[nodiscard]] Address local_address() const noexcept { return inner_.local_address(); }

 private:
  /// A queued datagram; kept apart from the heap so that heap moves shuffle 24-byte entries,
  /// not 1.5 KB buffers.
  struct Slot {
    Address to;
    TimePoint sent_at{};
    std::size_t size = 0;
    std::array<std::byte, max_datagram_bytes> data{};
  };

  /// Heap entry: release time, then send order, so equal release times leave in send order.
  struct Entry {
    TimePoint release;
    std::uint64_t order;
    std::uint32_t slot;
  };

  /// std::push_heap builds a max-heap; ordering by "later" puts the earliest entry on top.
  static bool later(const Entry& a, const Entry& b) noexcept {
    return a.release != b.release ? a.release > b.release : a.order > b.order;
  }

  void grow(std::size_t capacity) {
    const std::size_t old = slots_.size();
    slots_.resize(capacity);
    free_.reserve(capacity);
    heap_.reserve(capacity);
    for (std::size_t i = capacity; i > old; --i) free_.push_back(static_cast<std::uint32_t>(i - 1));
  }

  // Gilbert–Elliott state step, then the burst loss of the bad state, then independent loss.
  bool lose() noexcept {
    if (config_.burst_enter > 0.0 || bad_) {
      bad_ = bad_ ? !rng_.chance(config_.burst_exit) : rng_.chance(config_.burst_enter);
      if (bad_ && rng_.chance(config_.burst_loss)) {
        ++stats_.lost_burst;
        return true;
      }
    }
    if (config_.loss > 0.0 && rng_.chance(config_.loss)) {
      ++stats_.lost_independent;
      return true;
    }
    return false;
  }

  void schedule(const Address& to, std::span<const std::byte> bytes) noexcept {
    TimePoint departure = now_;
    if (!take_bandwidth(bytes.size(), departure)) return;
    const TimePoint release = departure + draw_delay();
    if (release <= now_) {
      hand_over(to, bytes, Duration::zero());  // everything queued is due later than now
      return;
    }
    enqueue(to, bytes, release);
  }

  // Serialization delay: the link sends one datagram after another at the capped rate.
  // `departure` becomes the moment the datagram's last byte leaves.
  bool take_bandwidth(std::size_t size, TimePoint& departure) noexcept {
    const std::uint64_t rate = config_.bandwidth_bytes_per_second;
    if (rate == 0) return true;
    const TimePoint start = std::max(now_, link_free_at_);
    if (start - now_ > config_.max_queue_delay) {
      ++stats_.dropped_bandwidth;
      return false;
    }
    // Rounded up, so the measured rate never exceeds the cap.
    const std::uint64_t nanoseconds = (size * 1'000'000'000ull + rate - 1) / rate;
    link_free_at_ = start + Duration(static_cast<Duration::rep>(nanoseconds));
    departure = link_free_at_;
    return true;
  }

  Duration draw_delay() noexcept {
    Duration delay = config_.latency;
    if (config_.jitter > Duration::zero()) {
      const auto j = config_.jitter.count();
      delay += Duration(rng_.between(-j, j));
    }
    delay = std::max(delay, Duration::zero());
    if (config_.reorder > 0.0 && rng_.chance(config_.reorder)) {
      ++stats_.reordered;
      delay += config_.reorder_delay;
    }
    return delay;
  }

  void enqueue(const Address& to, std::span<const std::byte> bytes, TimePoint release) noexcept {
    if (heap_.size() >= config_.queue_capacity || free_.empty()) {
      ++stats_.dropped_queue_full;
      return;
    }
    const std::uint32_t index = free_.back();
    free_.pop_back();
    Slot& slot = slots_[index];
    slot.to = to;
    slot.sent_at = now_;
    slot.size = bytes.size();
    std::copy(bytes.begin(), bytes.end(), slot.data.begin());
    heap_.push_back(Entry{release, next_order_++, index});  // within the reserved capacity
    std::push_heap(heap_.begin(), heap_.end(), later);
  }

  bool release_due() noexcept {
    bool released = false;
    while (!heap_.empty() && heap_.front().release <= now_) {
      std::pop_heap(heap_.begin(), heap_.end(), later);
      const Entry entry = heap_.back();
      heap_.pop_back();
      const Slot& slot = slots_[entry.slot];
      hand_over(slot.to, {slot.data.data(), slot.size}, entry.release - slot.sent_at);
      free_.push_back(entry.slot);
      released = true;
    }
    return released;
  }

  void hand_over(const Address& to, std::span<const std::byte> bytes, Duration delay) noexcept {
    if (inner_.send(to, bytes)) {
      ++stats_.inner_send_errors;
      return;
    }
    ++stats_.delivered;
    stats_.total_delay += delay;
  }

  Inner inner_;
  Rng rng_;
  SimulatedConfig config_;
  SimulatedStats stats_;
  TimePoint now_{};
  TimePoint link_free_at_{};
  bool bad_ = false;
  std::uint64_t next_order_ = 0;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_;
  std::vector<Entry> heap_;
};

}  // namespace courier
