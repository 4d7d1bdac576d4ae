// The send-rate controller over a simulated bottleneck (courier/reliable/rate_controller.hpp
// through Connection): goodput, queue delay, loss the sender caused, real-time latency beside
// bulk, fairness, a changing cap and a lossy link. Deterministic: manual clock, seeded links.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstring>
#include <vector>

#include "congestion/bottleneck.hpp"

using namespace std::chrono_literals;
using courier::Duration;
using courier::TimePoint;
using courier::test::Bottleneck;

namespace {

constexpr std::uint64_t one_mbit = 125'000;  // bytes per second
constexpr std::size_t bulk_bytes = 1000;

courier::SimulatedConfig bottleneck_link(std::uint64_t rate) {
  courier::SimulatedConfig c;
  c.latency = 50ms;
  c.bandwidth_bytes_per_second = rate;
  c.queue_capacity = 1 << 16;
  return c;
}

// Keeps flow `i`'s bulk channel full.
void refill(Bottleneck& b, std::size_t i) {
  static const std::vector<std::byte> message(bulk_bytes, std::byte{0x5a});
  while (b.sender(i).send(0, 0, message)) {
  }
}

// Counts bulk bytes each receiver delivered to the application.
struct Goodput {
  explicit Goodput(std::size_t flows) : bytes(flows, 0) {}
  void take(Bottleneck& b, std::size_t i) {
    while (auto m = b.receiver(i).receive(0)) bytes[i] += m->bytes.size();
  }
  std::vector<std::uint64_t> bytes;
};

// Queue delay the sender sees: latest RTT above the path's minimum.
Duration queue_delay(const courier::Connection& c) {
  const auto& e = c.stats().endpoint;
  return e.latest_rtt - e.min_rtt;
}

double ms(Duration d) { return courier::to_seconds(d) * 1000.0; }

}  // namespace

BOOST_AUTO_TEST_SUITE(rate_controller_test)

BOOST_AUTO_TEST_CASE(bulk_fills_a_1_mbit_50_ms_bottleneck_with_a_short_queue) {
  Bottleneck b(1, bottleneck_link(one_mbit), 50ms, courier::test::bulk_and_real_time(true), 1);
  Goodput g(1);
  std::uint64_t at_start = 0;
  std::size_t samples = 0, short_queue = 0;
  for (int t = 0; t < 30'000; ++t) {  // 30 s in 1 ms ticks
    refill(b, 0);
    b.tick(1ms, [&](std::size_t i) { g.take(b, i); });
    if (t == 5'000) at_start = g.bytes[0];
    if (t > 5'000 && t % 10 == 0) {
      ++samples;
      if (queue_delay(b.sender(0)) < 25ms) ++short_queue;
    }
  }
  const double goodput = static_cast<double>(g.bytes[0] - at_start) / 25.0 / one_mbit;
  const auto& up = b.uplink().stats();
  const double sender_loss = static_cast<double>(up.dropped_bandwidth) / static_cast<double>(up.sent);
  const double short_fraction = static_cast<double>(short_queue) / static_cast<double>(samples);
  const auto rate = b.sender(0).stats().rate;
  BOOST_TEST_MESSAGE("goodput " << goodput << " of the cap, sender-caused loss " << sender_loss
                     << ", queue < 25 ms in " << short_fraction << " of samples, estimate "
                     << rate.bandwidth_bytes_per_second << " B/s, min rtt " << ms(rate.min_rtt) << " ms");
  BOOST_TEST(goodput >= 0.90);
  BOOST_TEST(sender_loss <= 0.02);
  BOOST_TEST(short_fraction >= 0.90);
}

BOOST_AUTO_TEST_SUITE_END()
