#pragma once
// A two-ended simulated link for the reliable and channel tests: two Simulated<Loopback>
// transports on one LoopbackNetwork, each impairing what it sends, driven by a manual clock.

#include <courier/transport/loopback.hpp>
#include <courier/transport/loopback_network.hpp>
#include <courier/transport/simulated.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace courier::test {

class SimLink {
 public:
  SimLink(const SimulatedConfig& config, std::uint64_t seed)
      : network_(1 << 16),
        a_(Loopback(network_, Address::ipv4(127, 0, 0, 1, 40001)), config, seed),
        b_(Loopback(network_, Address::ipv4(127, 0, 0, 1, 40002)), config, seed * 0x9E3779B97F4A7C15ull + 1),
        slots_(256) {}

  /// Side 0 or 1 sends one payload to the other.
  void send(int side, std::span<const std::byte> bytes) {
    auto& t = side == 0 ? a_ : b_;
    (void)t.send(side == 0 ? b_.local_address() : a_.local_address(), bytes);
  }

  /// Advances both transports to `now` and hands every arrived datagram to
  /// `deliver(side, bytes)` (side = the receiving end).
  template <class Deliver>
  void pump(TimePoint now, Deliver&& deliver) {
    a_.update(now);
    b_.update(now);
    a_.flush();
    b_.flush();
    for (int side = 0; side < 2; ++side) {
      auto& t = side == 0 ? a_ : b_;
      for (;;) {
        const std::size_t n = t.receive(slots_);
        for (std::size_t i = 0; i < n; ++i) deliver(side, slots_[i].bytes());
        if (n < slots_.size()) break;
      }
    }
  }

  [[nodiscard]] const SimulatedStats& stats(int side) const { return side == 0 ? a_.stats() : b_.stats(); }

 private:
  LoopbackNetwork network_;
  Simulated<Loopback> a_;
  Simulated<Loopback> b_;
  std::vector<Datagram> slots_;
};

/// 20 % loss with bursts, 100 ms ± 50 ms, 5 % duplicates, 5 % reordering.
inline SimulatedConfig harsh_link() {
  SimulatedConfig c;
  c.latency = std::chrono::milliseconds(100);
  c.jitter = std::chrono::milliseconds(50);
  c.loss = 0.10;
  c.burst_enter = 0.05;
  c.burst_exit = 0.40;
  c.burst_loss = 0.95;
  c.duplicate = 0.05;
  c.reorder = 0.05;
  c.queue_capacity = 1 << 16;
  return c;
}

}  // namespace courier::test
