// Unreliable messages above one packet: fragmented, sent once, delivered all-or-nothing, with
// bounded reassembly (courier/channel/detail/partial_messages.hpp through Connection).
#include <courier/channel/connection.hpp>
#include <courier/core/random.hpp>

#include <boost/test/unit_test.hpp>

#include <array>
#include <vector>

using namespace std::chrono_literals;
using courier::ChannelConfig;
using courier::ChannelMode;
using courier::Connection;
using courier::ConnectionConfig;
using courier::DeliveryState;
using courier::DropReason;
using courier::TimePoint;

namespace {

std::vector<std::byte> pattern(std::size_t n, std::uint64_t seed) {
  std::vector<std::byte> v(n);
  courier::Rng rng(seed);
  for (auto& b : v) b = std::byte(rng.next());
  return v;
}

// Channel 0 unreliable, channel 1 unreliable-sequenced, both up to 8 KiB.
ConnectionConfig snapshot_channels() {
  ConnectionConfig cfg;
  cfg.channels = {
      ChannelConfig{.mode = ChannelMode::unreliable, .max_inline_bytes = 256, .max_message_bytes = 8192},
      ChannelConfig{.mode = ChannelMode::unreliable_sequenced, .max_inline_bytes = 256, .max_message_bytes = 8192}};
  return cfg;
}

// Two connections wired by hand: every packet a writes goes to b unless `drop` says so;
// b's packets (acks) always reach a.
struct Wire {
  Wire() : a(snapshot_channels()), b(snapshot_channels()) {}

  template <class Drop>
  void tick(Drop&& drop) {
    now += 5ms;
    a.update(now);
    b.update(now);
    while (const std::size_t n = a.write_packet(now, out)) {
      if (!drop(packet_index++)) BOOST_REQUIRE(!b.read_packet(now, std::span(out.data(), n)));
    }
    while (const std::size_t n = b.write_packet(now, out)) BOOST_REQUIRE(!a.read_packet(now, std::span(out.data(), n)));
  }
  void tick() {
    tick([](std::size_t) { return false; });
  }

  Connection a, b;
  TimePoint now{};
  std::size_t packet_index = 0;
  std::array<std::byte, 1200> out{};
};

}  // namespace

BOOST_AUTO_TEST_SUITE(partial_messages_test)

BOOST_AUTO_TEST_CASE(snapshots_of_1200_bytes_and_8_kib_arrive_whole_and_are_acked) {
  Wire w;
  for (std::size_t ch = 0; ch < 2; ++ch) {
    const std::array<std::size_t, 3> sizes{1200, 8192, 100};
    std::vector<courier::MessageHandle> handles;
    // one at a time: on the sequenced channel, a message acked in the same ack header as a
    // newer one of its channel is reported Lost (the newer one may have overtaken it)
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      const auto r = w.a.send(ch, 0, pattern(sizes[i], 10 * ch + i));
      BOOST_TEST_REQUIRE(static_cast<bool>(r));
      handles.push_back(r.handle);
      for (int k = 0; k < 10; ++k) w.tick();
    }
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      const auto m = w.b.receive(ch);
      BOOST_TEST_REQUIRE(m.has_value());
      const auto expected = pattern(sizes[i], 10 * ch + i);
      BOOST_TEST(std::equal(m->bytes.begin(), m->bytes.end(), expected.begin(), expected.end()));
      BOOST_TEST((w.a.status(handles[i]).state == DeliveryState::acked));
    }
    BOOST_TEST(!w.b.receive(ch).has_value());
  }
  BOOST_TEST(w.b.stats().message_drops.total() == 0u);
  // a message above the configured limit is still refused
  BOOST_TEST((w.a.send(0, 0, pattern(8193, 1)).error == courier::Error::message_too_large));
}

BOOST_AUTO_TEST_CASE(a_lost_fragment_loses_the_whole_message_and_is_counted) {
  Wire w;
  const auto lost = w.a.send(0, 0, pattern(8192, 1));  // 8 fragments over packets 0 .. 7
  BOOST_TEST_REQUIRE(static_cast<bool>(lost));
  w.tick([](std::size_t packet) { return packet == 3; });
  BOOST_TEST(!w.b.receive(0).has_value());
  // newer messages arrive whole; once max_partial_messages (4) newer ones began, the partial
  // one is abandoned and counted
  for (std::uint64_t i = 0; i < 4; ++i) {
    BOOST_TEST_REQUIRE(static_cast<bool>(w.a.send(0, 0, pattern(3000, 2 + i))));
    w.tick();
    const auto m = w.b.receive(0);
    BOOST_TEST_REQUIRE(m.has_value());
    BOOST_TEST(m->bytes.size() == 3000u);
  }
  BOOST_TEST(w.b.stats().message_drops[DropReason::incomplete] == 1u);
  for (int i = 0; i < 40; ++i) w.tick();
  BOOST_TEST((w.a.status(lost.handle).state == DeliveryState::lost));
}

BOOST_AUTO_TEST_CASE(reassembly_memory_is_bounded_and_abandoned_messages_are_counted) {
  Wire w;
  std::size_t table_bytes = 0;
  // 2 000 messages of 5 fragments, the 2nd fragment of each lost: none can complete. By the
  // 1 000th the sequence tables have wrapped (10 000 packets), so every table reached its
  // working size; abandoned messages must not add to it.
  for (std::uint64_t i = 0; i < 2000; ++i) {
    if (i == 1000) table_bytes = w.b.table_bytes();
    BOOST_TEST_REQUIRE(static_cast<bool>(w.a.send(0, 0, pattern(5000, i))));
    const std::size_t first = w.packet_index;
    w.tick([first](std::size_t packet) { return packet == first + 1; });
    BOOST_TEST_REQUIRE(!w.b.receive(0).has_value());
  }
  // all but the last max_partial_messages are abandoned by now; memory did not grow
  BOOST_TEST(w.b.stats().message_drops[DropReason::incomplete] == 2000u - 4u);
  BOOST_TEST(w.b.table_bytes() == table_bytes);
  BOOST_TEST(table_bytes <= w.b.table_limit_bytes());
  // and the channel still works
  BOOST_TEST_REQUIRE(static_cast<bool>(w.a.send(0, 0, pattern(5000, 999))));
  w.tick();
  BOOST_TEST(w.b.receive(0).has_value());
}

BOOST_AUTO_TEST_CASE(a_sequenced_snapshot_older_than_one_delivered_is_never_delivered) {
  Wire w;
  // the first message's last fragment is held back and arrives after the second message
  const auto first = pattern(2048, 1), second = pattern(2048, 2);
  BOOST_TEST_REQUIRE(static_cast<bool>(w.a.send(1, 0, first)));
  BOOST_TEST_REQUIRE(static_cast<bool>(w.a.send(1, 0, second)));
  std::vector<std::vector<std::byte>> packets;
  w.now += 5ms;
  while (const std::size_t n = w.a.write_packet(w.now, w.out)) packets.emplace_back(w.out.begin(), w.out.begin() + static_cast<std::ptrdiff_t>(n));
  BOOST_TEST_REQUIRE(packets.size() == 4u);  // 2 fragments each (256-byte inline limit)
  for (const std::size_t i : {0, 2, 3, 1}) BOOST_TEST_REQUIRE(!w.b.read_packet(w.now, packets[i]));
  const auto m = w.b.receive(1);
  BOOST_TEST_REQUIRE(m.has_value());
  BOOST_TEST(std::equal(m->bytes.begin(), m->bytes.end(), second.begin(), second.end()));
  BOOST_TEST(!w.b.receive(1).has_value());
  BOOST_TEST(w.b.stats().message_drops[DropReason::stale] == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
