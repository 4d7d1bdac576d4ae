// A connection's table memory follows its use: it grows with what the traffic reaches, and a
// send queue that stayed empty through a quiet second gives its bytes back, while a queue
// still holding an unacked message keeps them (nothing accepted is lost).

#include <courier/channel/connection.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <vector>

using namespace courier;
using namespace std::chrono_literals;

namespace {

std::vector<std::byte> pattern(std::size_t n, unsigned seed) {
  std::vector<std::byte> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = std::byte(static_cast<unsigned char>(i * 7 + seed));
  return v;
}

struct Pair {
  Connection a{ConnectionConfig{}}, b{ConnectionConfig{}};
  TimePoint now{};
  std::array<std::byte, 1200> out{};
  bool deliver = true;  // false: a's packets are lost

  void tick(Duration step = 5ms) {
    now += step;
    a.update(now);
    b.update(now);
    while (const std::size_t n = a.write_packet(now, out))
      if (deliver) BOOST_REQUIRE(!b.read_packet(now, std::span(out.data(), n)));
    while (const std::size_t n = b.write_packet(now, out)) BOOST_REQUIRE(!a.read_packet(now, std::span(out.data(), n)));
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(table_memory_test)

BOOST_AUTO_TEST_CASE(a_fresh_connection_holds_no_table_memory_and_grows_with_use) {
  Pair p;
  BOOST_TEST(p.a.table_bytes() == 0u);
  BOOST_TEST(p.b.table_bytes() == 0u);
  BOOST_TEST_REQUIRE(static_cast<bool>(p.a.send(0, 0, pattern(100, 1))));
  p.tick();
  BOOST_TEST(p.a.table_bytes() > 0u);
  BOOST_TEST(p.a.table_bytes() < 4096u);  // one small message: a few small tables
  BOOST_TEST(p.b.table_bytes() < 4096u);
  BOOST_TEST(p.a.table_bytes() <= p.a.table_limit_bytes());
}

BOOST_AUTO_TEST_CASE(an_empty_send_queue_gives_its_bytes_back_after_a_quiet_second) {
  Pair p;
  BOOST_TEST_REQUIRE(static_cast<bool>(p.a.send(0, 0, pattern(2000, 2))));
  for (int i = 0; i < 10; ++i) p.tick();  // delivered and acked
  const auto m = p.b.receive(0);
  BOOST_TEST_REQUIRE(m.has_value());
  const std::size_t grown = p.a.table_bytes();
  p.tick(500ms);
  BOOST_TEST(p.a.table_bytes() == grown);  // not quiet long enough yet
  p.tick(600ms);
  BOOST_TEST(p.a.table_bytes() <= grown - 2048);  // the queue's 2 KiB went back
  // the channel works as before, and the queue grows again
  const auto again = pattern(2000, 3);
  BOOST_TEST_REQUIRE(static_cast<bool>(p.a.send(0, 0, again)));
  for (int i = 0; i < 10; ++i) p.tick();
  const auto m2 = p.b.receive(0);
  BOOST_TEST_REQUIRE(m2.has_value());
  BOOST_TEST(std::equal(m2->bytes.begin(), m2->bytes.end(), again.begin(), again.end()));
}

BOOST_AUTO_TEST_CASE(a_queue_holding_an_unacked_message_keeps_it_through_quiet_time) {
  Pair p;
  p.deliver = false;
  const auto bytes = pattern(3000, 4);
  const auto r = p.a.send(0, 0, bytes);
  BOOST_TEST_REQUIRE(static_cast<bool>(r));
  for (int i = 0; i < 5; ++i) p.tick(400ms);  // 2 s without a send, every packet lost
  p.deliver = true;
  std::optional<ReceivedMessage> m;
  for (int i = 0; i < 100 && !m; ++i) {
    p.tick(50ms);
    m = p.b.receive(0);
  }
  BOOST_TEST_REQUIRE(m.has_value());
  BOOST_TEST(std::equal(m->bytes.begin(), m->bytes.end(), bytes.begin(), bytes.end()));
  for (int i = 0; i < 5; ++i) p.tick();
  BOOST_TEST((p.a.status(r.handle).state == DeliveryState::acked));
}

BOOST_AUTO_TEST_SUITE_END()
