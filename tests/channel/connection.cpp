#include <courier/channel/connection.hpp>
#include <courier/core/random.hpp>

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstring>
#include <vector>

#include "reliable/sim_link.hpp"

namespace bdata = boost::unit_test::data;
using namespace std::chrono_literals;
using courier::ChannelConfig;
using courier::ChannelMode;
using courier::Connection;
using courier::ConnectionConfig;
using courier::DeliveryState;
using courier::Error;
using courier::TimePoint;

namespace {

// Two connections over a simulated link, one packet each per tick.
struct Peers {
  Peers(const ConnectionConfig& cfg, const courier::SimulatedConfig& link_cfg, std::uint64_t seed)
      : a(cfg), b(cfg), link(link_cfg, seed) {}

  void tick(courier::Duration step = 5ms, int packets = 1) {
    now += step;
    a.update(now);
    b.update(now);
    for (int k = 0; k < packets; ++k) {
      if (const std::size_t n = a.write_packet(now, out)) link.send(0, std::span(out.data(), n));
      if (const std::size_t n = b.write_packet(now, out)) link.send(1, std::span(out.data(), n));
    }
    link.pump(now, [&](int to, std::span<const std::byte> bytes) {
      BOOST_REQUIRE(!(to == 0 ? a : b).read_packet(now, bytes));
    });
  }

  Connection a, b;
  courier::test::SimLink link;
  TimePoint now{};
  std::array<std::byte, 1200> out{};
};

std::vector<std::byte> pattern(std::size_t n, std::uint64_t seed) {
  std::vector<std::byte> v(n);
  courier::Rng rng(seed);
  for (auto& b : v) b = std::byte(rng.next());
  return v;
}

ConnectionConfig four_channels() {
  ConnectionConfig cfg;
  cfg.channels = {ChannelConfig{.mode = ChannelMode::reliable_ordered, .message_id_count = 3},
                  ChannelConfig{.mode = ChannelMode::reliable_unordered, .message_id_count = 3},
                  ChannelConfig{.mode = ChannelMode::unreliable, .message_id_count = 3},
                  ChannelConfig{.mode = ChannelMode::unreliable_sequenced, .message_id_count = 3}};
  return cfg;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(connection_test)

BOOST_AUTO_TEST_CASE(every_mode_delivers_and_reports_queued_sent_acked) {
  Peers p(four_channels(), {}, 1);
  std::vector<courier::MessageHandle> handles;
  for (std::size_t ch = 0; ch < 4; ++ch) {
    const auto bytes = pattern(100 + ch, ch);
    const auto r = p.a.send(ch, 2, bytes);
    BOOST_TEST_REQUIRE(static_cast<bool>(r));
    BOOST_TEST((p.a.status(r.handle).state == DeliveryState::queued));
    handles.push_back(r.handle);
  }
  p.now += 1ms;
  std::array<std::byte, 1200> out{};
  const std::size_t n = p.a.write_packet(p.now, out);
  BOOST_TEST(n > 400u);
  for (auto h : handles) BOOST_TEST((p.a.status(h).state == DeliveryState::sent));
  BOOST_TEST(!p.b.read_packet(p.now, std::span(out.data(), n)));
  for (std::size_t ch = 0; ch < 4; ++ch) {
    const auto m = p.b.receive(ch);
    BOOST_TEST_REQUIRE(m.has_value());
    BOOST_TEST(m->message_id == 2u);
    const auto expected = pattern(100 + ch, ch);
    BOOST_TEST(std::equal(m->bytes.begin(), m->bytes.end(), expected.begin(), expected.end()));
    BOOST_TEST(!p.b.receive(ch).has_value());
  }
  for (int i = 0; i < 10; ++i) p.tick();  // b acks, a reads the ack
  for (auto h : handles) BOOST_TEST((p.a.status(h).state == DeliveryState::acked));
  BOOST_TEST((p.a.status(courier::MessageHandle{}).state == DeliveryState::unknown));
}

BOOST_AUTO_TEST_CASE(oversized_messages_and_full_queues_are_refused) {
  ConnectionConfig cfg = four_channels();
  cfg.channels[0].send_queue_capacity = 8;
  Connection c(cfg);
  const auto big = pattern(256 * 1024 + 1, 1);
  const auto inline_max = pattern(512, 2);
  const auto over_inline = pattern(513, 3);
  // an unreliable message above one packet's share is refused, never made reliable
  BOOST_TEST((c.send(2, 0, over_inline).error == Error::message_too_large));
  BOOST_TEST((c.send(3, 0, over_inline).error == Error::message_too_large));
  BOOST_TEST(static_cast<bool>(c.send(2, 0, inline_max)));
  BOOST_TEST((c.send(0, 0, big).error == Error::message_too_large));
  BOOST_TEST((c.send(1, 0, big).error == Error::message_too_large));
  BOOST_TEST((c.send(9, 0, inline_max).error == Error::invalid_config));
  BOOST_TEST((c.send(0, 3, inline_max).error == Error::invalid_config));
  for (int i = 0; i < 8; ++i) BOOST_TEST_REQUIRE(static_cast<bool>(c.send(0, 0, inline_max)));
  const auto refused = c.send(0, 0, inline_max);
  BOOST_TEST((refused.error == Error::send_queue_full));
  BOOST_TEST(!refused.handle.valid());
  BOOST_TEST(c.queued(0) == 8u);
  BOOST_TEST(c.stats().messages_refused == 7u);
  // the byte buffer is a limit of its own: two max-size blocks do not fit the default buffer
  Connection d(four_channels());
  BOOST_TEST(static_cast<bool>(d.send(0, 0, pattern(256 * 1024, 4))));
  BOOST_TEST((d.send(0, 0, pattern(256 * 1024, 5)).error == Error::send_queue_full));
}

BOOST_DATA_TEST_CASE(a_256_kib_message_crosses_20_percent_loss, bdata::xrange(1, 4), seed) {
  courier::SimulatedConfig link;
  link.latency = 30ms;
  link.jitter = 10ms;
  link.loss = 0.20;
  link.duplicate = 0.05;
  Peers p(four_channels(), link, static_cast<std::uint64_t>(seed));
  const auto block = pattern(256 * 1024, static_cast<std::uint64_t>(seed));
  const auto small = pattern(40, 9);
  const auto r = p.a.send(0, 1, block);
  BOOST_TEST_REQUIRE(static_cast<bool>(r));
  BOOST_TEST_REQUIRE(static_cast<bool>(p.a.send(0, 2, small)));  // waits behind the block
  std::vector<std::vector<std::byte>> got;
  for (int i = 0; i < 2000 && got.size() < 2; ++i) {
    p.tick();
    while (auto m = p.b.receive(0)) got.emplace_back(m->bytes.begin(), m->bytes.end());
  }
  BOOST_TEST_REQUIRE(got.size() == 2u, "seed " << seed);
  BOOST_TEST((got[0] == block));
  BOOST_TEST((got[1] == small));
  for (int i = 0; i < 100; ++i) p.tick();
  BOOST_TEST((p.a.status(r.handle).state == DeliveryState::acked));
  // 256 fragments: resending only the missing ones costs about 1 / (1 - loss) of them
  const auto sent = p.a.stats().endpoint.packets_sent - p.a.stats().endpoint.ack_only_packets_sent;
  BOOST_TEST(sent < 256u * 16 / 10, "seed " << seed << ", " << sent << " data packets");
}

// Bulk traffic fills the packets of a low-priority channel; a real-time message sent before
// each packet still rides in that very packet.
BOOST_AUTO_TEST_CASE(bulk_traffic_never_delays_a_real_time_channel) {
  for (const bool bulk_first : {false, true}) {
    ConnectionConfig cfg;
    cfg.channels = {ChannelConfig{.mode = ChannelMode::reliable_ordered, .priority = static_cast<std::uint8_t>(bulk_first ? 2 : 0),
                                  .max_message_bytes = 512, .packet_budget_bytes = bulk_first ? 600u : 0u},
                    ChannelConfig{.mode = ChannelMode::unreliable_sequenced, .priority = 1, .max_inline_bytes = 64}};
    Peers p(cfg, {}, 3);
    const auto bulk = pattern(500, 1);
    std::uint64_t rt = 0, rt_received = 0;
    for (int i = 0; i < 200; ++i) {
      while (p.a.send(0, 0, bulk)) {}
      std::array<std::byte, 8> m{};
      std::memcpy(m.data(), &rt, 8);
      BOOST_TEST_REQUIRE(static_cast<bool>(p.a.send(1, 0, m)));
      ++rt;
      p.tick();
      while (auto got = p.b.receive(1)) {
        std::uint64_t v = 0;
        std::memcpy(&v, got->bytes.data(), 8);
        BOOST_TEST(v == rt - 1);  // the message of this very tick
        ++rt_received;
      }
      while (p.b.receive(0)) {}
    }
    BOOST_TEST(rt_received == rt, "bulk_first " << bulk_first);
    BOOST_TEST(p.b.stats().messages_received > rt + 100);  // bulk flowed too
  }
}

BOOST_AUTO_TEST_CASE(an_undrained_receiver_pushes_back_to_the_sender) {
  ConnectionConfig cfg = four_channels();
  cfg.channels[0].receive_queue_capacity = 64;
  cfg.channels[0].send_queue_capacity = 64;
  Peers p(cfg, {}, 4);
  const auto m = pattern(50, 1);
  std::size_t sent = 0;
  for (int i = 0; i < 100; ++i) {
    while (p.a.send(0, 0, m)) ++sent;
    p.tick();
  }
  BOOST_TEST(sent == 128u);  // 64 held by the receiver, 64 in the sender's queue
  BOOST_TEST((p.a.send(0, 0, m).error == Error::send_queue_full));
  BOOST_TEST(p.b.stats().endpoint.drops[courier::DropReason::queue_full] > 0u);
  std::size_t received = 0;
  for (int i = 0; i < 400 && received < sent; ++i) {
    while (p.b.receive(0)) ++received;
    p.tick();
  }
  BOOST_TEST(received == sent);
}

BOOST_DATA_TEST_CASE(reliable_unordered_delivers_exactly_once, bdata::xrange(1, 3), seed) {
  Peers p(four_channels(), courier::test::harsh_link(), static_cast<std::uint64_t>(seed));
  constexpr std::uint32_t total = 5000;
  std::vector<int> seen(total, 0);
  std::uint32_t next = 0, received = 0;
  for (int i = 0; i < 20000 && received < total; ++i) {
    for (; next < total; ++next) {
      std::array<std::byte, 4> m{};
      std::memcpy(m.data(), &next, 4);
      if (!p.a.send(1, 0, m)) break;
    }
    p.tick(4ms);
    while (auto got = p.b.receive(1)) {
      std::uint32_t v = 0;
      std::memcpy(&v, got->bytes.data(), 4);
      ++seen[v];
      ++received;
    }
  }
  BOOST_TEST(received == total, "seed " << seed);
  for (int s : seen) BOOST_TEST_REQUIRE(s == 1, "seed " << seed);
}

namespace {
// A payload with a valid reliable header (sequence `seq`, asking for an ack) and `body`.
std::vector<std::byte> packet(std::uint16_t seq, std::initializer_list<int> body) {
  std::vector<std::byte> d = {std::byte{0x02}, std::byte(seq & 0xFF), std::byte(seq >> 8)};
  for (int b : body) d.push_back(std::byte(b));
  return d;
}
}  // namespace

BOOST_AUTO_TEST_CASE(a_peer_breaking_the_format_is_a_protocol_violation) {
  Connection c(four_channels());
  const std::error_code violation = Error::protocol_violation;
  const TimePoint now{};
  std::uint16_t seq = 0;
  const auto read = [&](std::initializer_list<int> body) { return c.read_packet(now, packet(seq++, body)); };
  BOOST_TEST(!read({0x02, 1, 0, 2, 0xAA, 0xBB}));          // unreliable, id 0, 2 bytes
  BOOST_TEST((read({0x09, 1, 0, 1, 0xAA}) == violation));  // channel 9 of 4
  BOOST_TEST((read({0x02, 1, 3, 1, 0xAA}) == violation));  // message id 3 of 3
  BOOST_TEST((read({0x02, 0}) == violation));              // empty messages chunk
  BOOST_TEST((read({0x02, 1, 0, 5, 0xAA}) == violation));  // truncated message
  BOOST_TEST((read({0x82, 1, 0, 1, 0xAA}) == violation));  // reserved chunk kind
  BOOST_TEST((read({0x02, 1, 0, 0x81, 0x04}) == violation));  // 513 bytes > max inline
  BOOST_TEST((read({0x42, 0, 0, 0, 0, 0, 1, 0, 1, 0xAA}) == violation));  // fragment on an unreliable channel
  BOOST_TEST((read({0x40, 0, 0, 0, 5, 0, 3, 0, 1, 0xAA}) == violation));  // fragment 5 of 3
  BOOST_TEST((read({0x40, 0, 0, 0, 0, 0, 0, 1, 1, 0xAA}) == violation));  // 256 fragments > max
  BOOST_TEST((read({0x40, 0, 0, 0, 0, 0, 2, 0, 1, 0xAA}) == violation));  // short first fragment
  BOOST_TEST((read({0x02, 1, 0, 1, 0xAA, 0x07}) == violation));  // a good message, then junk
  BOOST_TEST(c.stats().protocol_violations == 11u);
  BOOST_TEST(c.receive(2).has_value());
  BOOST_TEST(!c.receive(2).has_value());  // nothing of a violating packet was applied
  BOOST_TEST(!c.receive(0).has_value());
}

// Random bodies, and real packets with a few bytes mutated, never crash the receiver.
BOOST_DATA_TEST_CASE(random_and_mutated_payloads_never_crash, bdata::xrange(1, 4), seed) {
  Connection sender(four_channels()), c(four_channels());
  courier::Rng rng(static_cast<std::uint64_t>(seed));
  std::array<std::byte, 1200> d{};
  for (int i = 0; i < 30000; ++i) {
    const TimePoint now = TimePoint{} + i * 1ms;
    std::size_t n = 0;
    if (rng.chance(0.5)) {
      (void)sender.send(rng.below(4), static_cast<std::uint32_t>(rng.below(3)), pattern(rng.below(600), i));
      n = sender.write_packet(now, d);
      for (std::uint64_t k = rng.below(4); k > 0 && n > 0; --k) d[rng.below(n)] = std::byte(rng.next());
    } else {
      n = 3 + rng.below(120);
      for (std::size_t k = 0; k < n; ++k) d[k] = std::byte(rng.next());
      d[0] = std::byte{0x02};
    }
    if (n == 0) continue;
    (void)c.read_packet(now, std::span(d.data(), n));
    for (std::size_t ch = 0; ch < 4; ++ch)
      while (c.receive(ch)) {}
  }
  BOOST_TEST(c.stats().protocol_violations > 0u, "seed " << seed);
  BOOST_TEST(c.stats().endpoint.packets_received > 0u, "seed " << seed);
  BOOST_TEST(c.stats().messages_received > 0u, "seed " << seed);
}

BOOST_AUTO_TEST_CASE(invalid_configuration_is_refused_at_construction) {
  ConnectionConfig cfg;
  cfg.channels[0].send_queue_capacity = 100;
  BOOST_CHECK_THROW(Connection{cfg}, std::invalid_argument);
  cfg = {};
  cfg.channels[1].max_message_bytes = 4096;  // unreliable above inline: fragmented
  cfg.channels[1].max_partial_messages = 0;   // but with nowhere to reassemble
  BOOST_CHECK_THROW(Connection{cfg}, std::invalid_argument);
  cfg = {};
  cfg.channels.clear();
  BOOST_CHECK_THROW(Connection{cfg}, std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(drop_all_ends_unfinished_sends_as_dropped) {
  Connection c(four_channels());
  const auto r = c.send(0, 0, pattern(10, 1));
  const auto u = c.send(2, 0, pattern(10, 2));
  c.drop_all(Error::closed_by_peer);
  BOOST_TEST((c.status(r.handle) == courier::DeliveryStatus{DeliveryState::dropped, Error::closed_by_peer}));
  BOOST_TEST((c.status(u.handle).state == DeliveryState::dropped));
  BOOST_TEST(c.queued(0) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
