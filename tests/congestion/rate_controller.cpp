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

// A 60 Hz real-time channel (priority above the bulk one) beside the same bulk transfer: its
// messages arrive, from send() to receive(), within the path's base RTT (100 ms) plus two
// ticks for 99 % of them (the target). The stricter one-way delay (50 ms) plus two
// ticks is reported too: 88 % make it today (docs/PERFORMANCE.md, "Congestion control").
BOOST_AUTO_TEST_CASE(a_60_hz_real_time_channel_stays_fast_beside_bulk) {
  Bottleneck b(1, bottleneck_link(one_mbit), 50ms, courier::test::bulk_and_real_time(true), 2);
  Goodput g(1);
  std::vector<Duration> delays;
  std::vector<std::byte> tick_message(100);
  b.tick(1ms, [](std::size_t) {});
  for (int t = 1; t < 30'000; ++t) {
    refill(b, 0);
    if ((t * 3) / 50 != ((t - 1) * 3) / 50) {  // 60 Hz: every 16 or 17 ms
      const auto sent = b.now().time_since_epoch().count();
      std::memcpy(tick_message.data(), &sent, sizeof sent);
      BOOST_TEST_REQUIRE(static_cast<bool>(b.sender(0).send(1, 0, tick_message)));
    }
    b.tick(1ms, [&](std::size_t i) {
      g.take(b, i);
      while (auto m = b.receiver(0).receive(1)) {
        Duration::rep sent = 0;
        std::memcpy(&sent, m->bytes.data(), sizeof sent);
        if (t > 5'000) delays.push_back(b.now() - TimePoint(Duration(sent)));
      }
    });
  }
  std::sort(delays.begin(), delays.end());
  const auto within = [&](Duration deadline) {
    const auto late = delays.end() - std::upper_bound(delays.begin(), delays.end(), deadline);
    return 1.0 - static_cast<double>(late) / static_cast<double>(delays.size());
  };
  const double on_time = within(100ms + 2 * 16667us);
  const double one_way_on_time = within(50ms + 2 * 16667us);
  BOOST_TEST_MESSAGE("real-time one-way delay: median " << ms(delays[delays.size() / 2]) << " ms, p99 "
                     << ms(delays[delays.size() * 99 / 100]) << " ms, within base RTT + 2 ticks " << on_time
                     << ", within one-way delay + 2 ticks " << one_way_on_time
                     << "; bulk goodput " << static_cast<double>(g.bytes[0]) / 30.0 / one_mbit);
  BOOST_TEST(delays.size() > 1'400u);
  BOOST_TEST(on_time >= 0.99);
}

// Two flows through one bottleneck, the second starting 2 s later, converge to within 20 % of
// an even share.
BOOST_AUTO_TEST_CASE(two_flows_share_a_bottleneck_fairly) {
  Bottleneck b(2, bottleneck_link(one_mbit), 50ms, courier::test::bulk_and_real_time(true), 3);
  Goodput g(2);
  std::vector<std::uint64_t> at_start(2, 0);
  for (int t = 0; t < 40'000; ++t) {
    refill(b, 0);
    if (t >= 2'000) refill(b, 1);
    b.tick(1ms, [&](std::size_t i) { g.take(b, i); });
    if (t == 20'000) at_start = g.bytes;
  }
  const double share = one_mbit / 2.0;
  for (std::size_t i = 0; i < 2; ++i) {
    const double rate = static_cast<double>(g.bytes[i] - at_start[i]) / 20.0;
    BOOST_TEST_MESSAGE("flow " << i << ": " << rate / share << " of an even share");
    BOOST_TEST(rate >= 0.8 * share);
    BOOST_TEST(rate <= 1.2 * share);
  }
  const auto& up = b.uplink().stats();
  BOOST_TEST(static_cast<double>(up.dropped_bandwidth) / static_cast<double>(up.sent) <= 0.02);
}

// The cap falls tenfold at 10 s and comes back at 20 s: the estimate follows each way.
BOOST_AUTO_TEST_CASE(the_rate_follows_a_cap_that_falls_tenfold_and_rises_again) {
  Bottleneck b(1, bottleneck_link(one_mbit), 50ms, courier::test::bulk_and_real_time(true), 4);
  Goodput g(1);
  std::uint64_t low_start = 0, low_end = 0, high_start = 0;
  Duration fell_after{}, rose_after{};
  for (int t = 0; t < 35'000; ++t) {
    refill(b, 0);
    if (t == 10'000) b.uplink().set_config(bottleneck_link(one_mbit / 10));
    if (t == 20'000) b.uplink().set_config(bottleneck_link(one_mbit));
    b.tick(1ms, [&](std::size_t i) { g.take(b, i); });
    const double estimate = b.sender(0).stats().rate.bandwidth_bytes_per_second;
    if (t > 10'000 && fell_after == Duration{} && estimate < 1.25 * one_mbit / 10) fell_after = (t - 10'000) * 1ms;
    if (t > 20'000 && rose_after == Duration{} && estimate > 0.8 * one_mbit) rose_after = (t - 20'000) * 1ms;
    if (t == 13'000) low_start = g.bytes[0];
    if (t == 20'000) low_end = g.bytes[0];
    if (t == 25'000) high_start = g.bytes[0];
  }
  const double low = static_cast<double>(low_end - low_start) / 7.0 / (one_mbit / 10);
  const double high = static_cast<double>(g.bytes[0] - high_start) / 10.0 / one_mbit;
  BOOST_TEST_MESSAGE("estimate fell within " << ms(fell_after) << " ms, rose within " << ms(rose_after)
                     << " ms; goodput " << low << " of the low cap, " << high << " of the restored one");
  BOOST_TEST(ms(fell_after) > 0.0);
  BOOST_TEST(ms(fell_after) <= 1000.0);  // about two round trips at the RTT the queue stretched (350-430 ms)
  BOOST_TEST(ms(rose_after) > 0.0);
  BOOST_TEST(ms(rose_after) <= 3000.0);
  BOOST_TEST(low >= 0.8);
  BOOST_TEST(high >= 0.9);
}

// The same fall behind a deep buffer (2 s of queue, a bloated home router): the first loss,
// and with it the fall, is seen about one (2 s) round trip after the cap dropped.
BOOST_AUTO_TEST_CASE(a_fall_behind_a_deep_buffer_is_followed) {
  auto link = [](std::uint64_t rate) {
    auto c = bottleneck_link(rate);
    c.max_queue_delay = 2s;
    return c;
  };
  Bottleneck b(1, link(one_mbit), 50ms, courier::test::bulk_and_real_time(true), 5);
  Goodput g(1);
  Duration fell_after{};
  std::uint64_t dropped_at_fall = 0;
  for (int t = 0; t < 16'000; ++t) {
    refill(b, 0);
    if (t == 10'000) b.uplink().set_config(link(one_mbit / 10));
    b.tick(1ms, [&](std::size_t i) { g.take(b, i); });
    const double estimate = b.sender(0).stats().rate.bandwidth_bytes_per_second;
    if (t > 10'000 && fell_after == Duration{} && estimate < 1.25 * one_mbit / 10) {
      fell_after = (t - 10'000) * 1ms;
      dropped_at_fall = b.uplink().stats().dropped_bandwidth;
    }
  }
  const auto rate = b.sender(0).stats().rate;
  BOOST_TEST_MESSAGE("deep buffer: estimate fell within " << ms(fell_after) << " ms; bottleneck drops by then "
                     << dropped_at_fall << ", congestive losses " << rate.congestive_losses);
  BOOST_TEST(ms(fell_after) > 0.0);
  BOOST_TEST(ms(fell_after) <= 3500.0);
}

// 20 % random loss and no bottleneck (a lossy radio link): the loss is not congestion, so the
// rate climbs to its configured maximum and stays there.
BOOST_AUTO_TEST_CASE(random_loss_without_a_queue_does_not_collapse_the_rate) {
  courier::SimulatedConfig lossy;
  lossy.latency = 50ms;
  lossy.loss = 0.20;
  lossy.queue_capacity = 1 << 16;
  auto cfg = courier::test::bulk_and_real_time(true);
  cfg.rate.max_bytes_per_second = 2 * one_mbit;
  Bottleneck b(1, lossy, 50ms, cfg, 5);
  Goodput g(1);
  std::uint64_t at_start = 0;
  double lowest_pacing = 1e18;
  for (int t = 0; t < 20'000; ++t) {
    refill(b, 0);
    b.tick(1ms, [&](std::size_t i) { g.take(b, i); });
    if (t == 5'000) at_start = g.bytes[0];
    if (t > 5'000) lowest_pacing = std::min(lowest_pacing, b.sender(0).stats().rate.pacing_bytes_per_second);
  }
  const auto rate = b.sender(0).stats().rate;
  const double goodput = static_cast<double>(g.bytes[0] - at_start) / 15.0 / (2 * one_mbit);
  BOOST_TEST_MESSAGE("lowest pacing after 5 s " << lowest_pacing / (2 * one_mbit) << " of the maximum; goodput "
                     << goodput << " of it; link losses " << rate.link_losses << ", congestive "
                     << rate.congestive_losses);
  BOOST_TEST(lowest_pacing >= 0.7 * 2 * one_mbit);
  BOOST_TEST(goodput >= 0.6);
  BOOST_TEST(rate.link_losses > 10 * rate.congestive_losses);
}

BOOST_AUTO_TEST_SUITE_END()
