// Priorities under a limited send rate (courier/channel/channel_stats.hpp through Connection):
// unreliable messages past their channel's max_send_delay are dropped as Dropped(congestion)
// and counted, the higher-priority channel loses fewer, reliable messages only wait (never
// lost), and each channel's queue delay is readable.
#include <courier/channel/connection.hpp>

#include <boost/test/unit_test.hpp>

#include <array>
#include <vector>

using namespace std::chrono_literals;
using courier::ChannelConfig;
using courier::ChannelMode;
using courier::Connection;
using courier::ConnectionConfig;
using courier::DeliveryState;
using courier::TimePoint;

namespace {

// Channel 0 reliable bulk, channel 1 unreliable real-time (priority 9), channel 2 unreliable
// cosmetic (priority 5); both unreliable ones drop after 100 ms. The rate is pinned at 16 KiB/s.
ConnectionConfig throttled() {
  ConnectionConfig cfg;
  cfg.channels = {
      ChannelConfig{.mode = ChannelMode::reliable_ordered, .priority = 1},
      ChannelConfig{.mode = ChannelMode::unreliable, .priority = 9, .max_send_delay = 100ms},
      ChannelConfig{.mode = ChannelMode::unreliable, .priority = 5, .max_send_delay = 100ms}};
  cfg.rate.enabled = true;
  cfg.rate.min_bytes_per_second = 16 * 1024;
  cfg.rate.max_bytes_per_second = 16 * 1024;
  cfg.endpoint.max_ack_delay = 1ms;
  return cfg;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(channel_stats_test)

BOOST_AUTO_TEST_CASE(under_a_limited_rate_old_unreliable_messages_drop_and_reliable_ones_wait) {
  Connection a(throttled()), b(throttled());
  std::array<std::byte, 1200> out{};
  const std::vector<std::byte> payload(300, std::byte{7});
  std::vector<courier::MessageHandle> reliable, real_time, cosmetic;
  TimePoint now{};
  std::size_t reliable_received = 0;
  courier::Duration max_reliable_delay{};
  for (int tick = 0; tick < 1200; ++tick) {  // 3.3 s of 3 × 300 B × 60 Hz = 54 KB/s offered, then 16 s to drain
    now += 16667us;
    if (tick < 200) {  // 200 fit the reliable queue (256): none is refused
      reliable.push_back(a.send(0, 0, payload).handle);
      real_time.push_back(a.send(1, 0, payload).handle);
      cosmetic.push_back(a.send(2, 0, payload).handle);
    }
    a.update(now);
    b.update(now);
    max_reliable_delay = std::max(max_reliable_delay, a.channel_stats(0).queue_delay);
    while (const std::size_t n = a.write_packet(now, out)) BOOST_REQUIRE(!b.read_packet(now, std::span(out.data(), n)));
    while (const std::size_t n = b.write_packet(now, out)) BOOST_REQUIRE(!a.read_packet(now, std::span(out.data(), n)));
    while (b.receive(0)) ++reliable_received;
    while (b.receive(1) || b.receive(2)) {
    }
  }
  const auto dropped = [&](const std::vector<courier::MessageHandle>& hs) {
    std::size_t n = 0;
    for (auto h : hs) {
      const auto s = a.status(h);
      if (s.state == DeliveryState::dropped) {
        BOOST_TEST((s.reason == courier::Error::congestion));
        ++n;
      }
    }
    return n;
  };
  const std::size_t rt = dropped(real_time), cos = dropped(cosmetic);
  BOOST_TEST_MESSAGE("dropped for age: real-time " << rt << ", cosmetic " << cos << " of 200 each; reliable queue delay up to "
                     << courier::to_seconds(max_reliable_delay) * 1000 << " ms");
  BOOST_TEST(cos > 0u);
  BOOST_TEST(rt < cos);  // the higher priority goes first
  BOOST_TEST(a.channel_stats(1).dropped_congestion == rt);
  BOOST_TEST(a.channel_stats(2).dropped_congestion == cos);
  // every reliable message arrived and is acked: they waited, none was dropped
  BOOST_TEST(reliable_received == 200u);
  BOOST_TEST(dropped(reliable) == 0u);
  for (auto h : reliable) BOOST_TEST((a.status(h).state == DeliveryState::acked));
  BOOST_TEST(courier::to_seconds(max_reliable_delay) > 0.1);  // the queue delay showed the wait
  BOOST_TEST(a.channel_stats(0).queued == 0u);
  BOOST_TEST(courier::to_seconds(a.channel_stats(1).queue_delay) == 0.0);
}

BOOST_AUTO_TEST_CASE(max_send_delay_is_for_unreliable_channels_only) {
  ConnectionConfig cfg;
  cfg.channels[0].max_send_delay = 10ms;  // reliable: refused
  BOOST_CHECK_THROW(Connection{cfg}, std::invalid_argument);
  BOOST_TEST(Connection(ConnectionConfig{}).channel_stats(7).queued == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
