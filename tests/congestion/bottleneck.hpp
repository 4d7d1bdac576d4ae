#pragma once
// A shared bottleneck for the congestion tests: N sending Connections behind one Simulated
// uplink (latency + bandwidth cap + tail-drop queue: the bottleneck) and N receiving
// Connections, each answering over its own unimpaired-but-delayed downlink. Time is a manual
// clock stepped by `tick`; everything is seeded and deterministic.

#include <courier/channel/connection.hpp>
#include <courier/transport/loopback.hpp>
#include <courier/transport/loopback_network.hpp>
#include <courier/transport/simulated.hpp>

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <vector>

namespace courier::test {

/// Channel 0: reliable-ordered bulk (1 000-byte messages fit one packet); channel 1: a
/// real-time unreliable channel of higher priority.
inline ConnectionConfig bulk_and_real_time(bool controlled) {
  ConnectionConfig cfg;
  cfg.channels = {ChannelConfig{.mode = ChannelMode::reliable_ordered, .max_inline_bytes = 1024,
                                .max_message_bytes = 1024, .send_queue_capacity = 512,
                                .receive_queue_capacity = 512},
                  ChannelConfig{.mode = ChannelMode::unreliable, .priority = 10, .max_inline_bytes = 200}};
  cfg.endpoint.max_ack_delay = std::chrono::milliseconds(1);
  cfg.endpoint.sent_packets = 1024;
  cfg.endpoint.received_packets = 1024;
  cfg.rate.enabled = controlled;
  cfg.rate.min_bytes_per_second = 8 * 1024;
  return cfg;
}

class Bottleneck {
 public:
  Bottleneck(std::size_t flows, const SimulatedConfig& up, Duration down_latency, const ConnectionConfig& cfg,
             std::uint64_t seed)
      : network_(1 << 16), up_(Loopback(network_, address(0)), up, seed), slots_(256) {
    SimulatedConfig down;
    down.latency = down_latency;
    down.queue_capacity = 1 << 16;
    for (std::size_t i = 0; i < flows; ++i) {
      senders_.push_back(std::make_unique<Connection>(cfg));
      receivers_.push_back(std::make_unique<Connection>(cfg));
      downs_.push_back(std::make_unique<Simulated<Loopback>>(Loopback(network_, address(i + 1)), down, seed + 7 * i + 1));
    }
  }

  Connection& sender(std::size_t i) { return *senders_[i]; }
  Connection& receiver(std::size_t i) { return *receivers_[i]; }
  Simulated<Loopback>& uplink() { return up_; }
  [[nodiscard]] TimePoint now() const { return now_; }

  /// Advances the clock by `step`, lets every connection write what it may, and delivers what
  /// arrived; `on_receive(flow)` is called after each payload a receiver read.
  template <class OnReceive>
  void tick(Duration step, OnReceive&& on_receive) {
    now_ += step;
    up_.update(now_);
    for (auto& d : downs_) d->update(now_);
    for (std::size_t i = 0; i < senders_.size(); ++i) {
      senders_[i]->update(now_);
      receivers_[i]->update(now_);
      write_all(*senders_[i], [&](std::span<const std::byte> b) { (void)up_.send(address(i + 1), b); });
      write_all(*receivers_[i], [&](std::span<const std::byte> b) { (void)downs_[i]->send(address(0), b); });
    }
    up_.flush();
    for (auto& d : downs_) d->flush();
    drain(up_, [&](const Datagram& d) { (void)senders_[flow_of(d.from)]->read_packet(now_, d.bytes()); });
    for (std::size_t i = 0; i < downs_.size(); ++i)
      drain(*downs_[i], [&](const Datagram& d) {
        (void)receivers_[i]->read_packet(now_, d.bytes());
        on_receive(i);
      });
  }

 private:
  static Address address(std::size_t i) { return Address::ipv4(127, 0, 0, 1, static_cast<std::uint16_t>(41000 + i)); }
  static std::size_t flow_of(const Address& a) { return static_cast<std::size_t>(a.port() - 41001); }

  template <class Send>
  void write_all(Connection& c, Send&& send) {
    for (int k = 0; k < 256; ++k) {
      const std::size_t n = c.write_packet(now_, out_);
      if (n == 0) return;
      send(std::span<const std::byte>(out_.data(), n));
    }
  }

  template <class Deliver>
  void drain(Simulated<Loopback>& t, Deliver&& deliver) {
    for (;;) {
      const std::size_t n = t.receive(slots_);
      for (std::size_t i = 0; i < n; ++i) deliver(slots_[i]);
      if (n < slots_.size()) return;
    }
  }

  LoopbackNetwork network_;
  Simulated<Loopback> up_;
  std::vector<std::unique_ptr<Simulated<Loopback>>> downs_;
  std::vector<std::unique_ptr<Connection>> senders_;
  std::vector<std::unique_ptr<Connection>> receivers_;
  std::vector<Datagram> slots_;
  std::array<std::byte, 1200> out_{};
  TimePoint now_{};
};

}  // namespace courier::test
