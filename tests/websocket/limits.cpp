// Every limit of WebSocketServer hit by a misbehaving peer and answered with its counted close
// reason, while a legitimate client on the same server keeps its connection and its echo:
// an oversize message, a text frame, an unmasked client frame, not HTTP at all, too many
// connections, a peer that never completes the upgrade (handshake deadline), a peer that
// stops talking (idle), and a slow reader (bounded send queue). Pings are answered with pongs.
// The server's time is a synthetic clock stepped 10 ms per pump step, so deadlines do not
// depend on the machine's speed.

#include "raw_peer.hpp"
#include "ws_harness.hpp"

#include <courier/transport/websocket/websocket_client.hpp>
#include <courier/transport/websocket/websocket_server.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace {

using namespace courier;
using namespace courier::test;
using namespace std::chrono_literals;

/// An echoing server and one legitimate client that keeps talking to it.
struct Echo {
  explicit Echo(WebSocketServerConfig config) : server(*Address::parse("127.0.0.1:0"), std::move(config)) {}

  [[nodiscard]] Address target() const { return server.local_address().with_link(Address::Link::datagram); }

  void step() {
    now += tick;
    server.update(now);
    std::vector<Datagram> got;
    receive_into(server, got);
    for (const Datagram& d : got) {
      senders.push_back(d.from);
      (void)server.send(d.from, d.bytes());
    }
    server.flush();
    legit.update(now);
    receive_into(legit, echoes);
    legit.flush();
  }
  bool until(const std::function<bool()>& done) {
    return pump_until([this] { step(); }, done);
  }

  /// One more message from the legitimate client comes back: it is still connected.
  bool legit_round_trip() {
    const std::size_t before = echoes.size();
    if (legit.send(target(), as_bytes("still here"))) return false;
    return until([&] { return echoes.size() > before; });
  }

  [[nodiscard]] std::uint64_t closed(WebSocketClose why) const { return server.stats().closed(why); }

  WebSocketServer server;
  WebSocketClient legit;
  std::vector<Datagram> echoes;
  std::vector<Address> senders;  // the server's view of who sent each message
  TimePoint now{};
  Duration tick = 10ms;  // the server's time per step; zero stops its clock
};

WebSocketServerConfig small_limits() {
  WebSocketServerConfig c;
  c.limits.max_message_bytes = 200;
  c.limits.max_send_queue = 8;
  c.limits.handshake_deadline = 1s;
  c.limits.idle_timeout = 3s;
  c.max_connections = 4;
  return c;
}

/// A raw peer that upgraded; false when the server did not answer 101 (or closed it unanswered).
bool upgraded(Echo& e, RawPeer& p) {
  p.upgrade();
  return e.until([&] {
    p.read_available();
    return p.received().find("\r\n\r\n") != std::string::npos || p.closed();
  }) && p.received().starts_with("HTTP/1.1 101");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(limits_test)

BOOST_AUTO_TEST_CASE(an_oversize_message_closes_its_connection) {
  Echo e(small_limits());
  BOOST_REQUIRE(e.legit_round_trip());
  WebSocketClient big;
  BOOST_TEST(!big.send(e.target(), as_bytes(std::string(300, 'x'))));  // the client allows 1500
  BOOST_REQUIRE(e.until([&] {
    big.update(e.now);
    return e.closed(WebSocketClose::message_too_large) == 1;
  }));
  BOOST_TEST(e.server.stats().transport.datagrams_received == 1u, "only the legitimate message arrived");
  BOOST_TEST(e.until([&] {
    big.update(e.now);
    return big.take_unreachable().has_value();  // the client sees its connection end
  }));
  BOOST_TEST(e.legit_round_trip());
}

BOOST_AUTO_TEST_CASE(a_text_frame_closes_its_connection_with_1003) {
  Echo e(small_limits());
  BOOST_REQUIRE(e.legit_round_trip());
  RawPeer p(e.target());
  BOOST_REQUIRE(upgraded(e, p));
  p.frame(1, "text is not a datagram");
  BOOST_REQUIRE(e.until([&] { return e.closed(WebSocketClose::text_frame) == 1; }));
  // The close frame (opcode 8) carries status 1003 (RFC 6455 §7.4.1).
  BOOST_TEST(e.until([&] {
    p.read_available();
    return p.received().find("\x88\x02\x03\xeb") != std::string::npos;
  }));
  BOOST_TEST(e.legit_round_trip());
}

BOOST_AUTO_TEST_CASE(an_unmasked_client_frame_is_a_protocol_error) {
  Echo e(small_limits());
  BOOST_REQUIRE(e.legit_round_trip());
  RawPeer p(e.target());
  BOOST_REQUIRE(upgraded(e, p));
  p.frame(2, "unmasked", false);  // RFC 6455 §5.1: a server must close on an unmasked frame
  // The server answers with a close frame, 1002 protocol error, then waits for the peer to
  // end the TCP connection (§7.1.1); a peer that never does is closed as idle instead.
  BOOST_REQUIRE(e.until([&] {
    p.read_available();
    return p.received().find("\x88\x02\x03\xea") != std::string::npos;
  }));
  p.hang_up();
  BOOST_REQUIRE(e.until([&] { return e.closed(WebSocketClose::protocol_error) == 1; }));
  BOOST_TEST(e.server.stats().transport.datagrams_received == 1u);
  BOOST_TEST(e.legit_round_trip());
}

BOOST_AUTO_TEST_CASE(not_http_fails_the_handshake) {
  Echo e(small_limits());
  BOOST_REQUIRE(e.legit_round_trip());
  RawPeer p(e.target());
  p.write("\x16\x03\x01 this is not an HTTP request at all\r\n\r\n");
  BOOST_REQUIRE(e.until([&] { return e.closed(WebSocketClose::handshake_failed) == 1; }));
  BOOST_TEST(e.legit_round_trip());
}

BOOST_AUTO_TEST_CASE(pings_are_answered_with_pongs) {
  Echo e(small_limits());
  RawPeer p(e.target());
  BOOST_REQUIRE(upgraded(e, p));
  p.frame(9, "are you there");
  BOOST_TEST(e.until([&] {
    p.read_available();
    return p.received().find("\x8a\x0d" "are you there") != std::string::npos;
  }));
  BOOST_TEST(!p.closed());
}

BOOST_AUTO_TEST_CASE(connections_beyond_the_maximum_are_closed_at_accept) {
  Echo e(small_limits());  // max_connections 4
  BOOST_REQUIRE(e.legit_round_trip());
  std::vector<std::unique_ptr<RawPeer>> crowd;
  for (int i = 0; i < 6; ++i) crowd.push_back(std::make_unique<RawPeer>(e.target()));
  BOOST_REQUIRE(e.until([&] { return e.closed(WebSocketClose::too_many_connections) == 3; }));
  BOOST_TEST(e.server.connections() == 4u);
  BOOST_TEST(e.legit_round_trip());
}

// Per source ip address, checked at accept: peers from 127.0.0.2 reach their share and their
// rate while the legitimate client (127.0.0.1) and another source (127.0.0.3) are still served.
BOOST_AUTO_TEST_CASE(one_source_is_held_to_its_share_of_connections) {
  WebSocketServerConfig config = small_limits();
  config.max_connections = 16;
  config.max_connections_per_source = 3;
  Echo e(config);
  BOOST_REQUIRE(e.legit_round_trip());
  const Address source = *Address::parse("127.0.0.2:0");
  std::vector<std::unique_ptr<RawPeer>> crowd;
  for (int i = 0; i < 5; ++i) crowd.push_back(std::make_unique<RawPeer>(e.target(), 0, source));
  BOOST_REQUIRE(e.until([&] { return e.closed(WebSocketClose::too_many_from_source) == 2; }));
  BOOST_TEST(e.server.connections() == 4u, "three from 127.0.0.2 and the legitimate client");
  RawPeer other(e.target(), 0, *Address::parse("127.0.0.3:0"));
  BOOST_TEST(upgraded(e, other), "another source is still admitted");
  crowd.clear();  // the source's connections end: its share is free again
  BOOST_REQUIRE(e.until([&] { return e.server.connections() == 2u; }));
  RawPeer again(e.target(), 0, source);
  BOOST_TEST(upgraded(e, again));
  BOOST_TEST(e.closed(WebSocketClose::too_many_from_source) == 2u);
  BOOST_TEST(e.legit_round_trip());
}

BOOST_AUTO_TEST_CASE(one_source_is_held_to_its_connect_rate) {
  WebSocketServerConfig config = small_limits();
  config.max_connections = 64;
  config.connects_per_second_per_source = 2;  // one every 500 ms of the server's clock
  config.connect_burst_per_source = 3;
  Echo e(config);
  BOOST_REQUIRE(e.legit_round_trip());
  const Address source = *Address::parse("127.0.0.2:0");
  // Connections that come and go, as a reconnect loop or a TLS-handshake flood would, all at
  // one instant of the server's clock: the burst passes, then the source waits for its bucket.
  e.tick = Duration::zero();
  std::size_t admitted = 0;
  for (int i = 0; i < 6; ++i) {
    RawPeer p(e.target(), 0, source);
    if (upgraded(e, p)) ++admitted;
  }
  BOOST_TEST(admitted == 3u);
  BOOST_TEST(e.closed(WebSocketClose::source_rate) == 3u);
  RawPeer other(e.target(), 0, *Address::parse("127.0.0.3:0"));
  BOOST_TEST(upgraded(e, other), "another source has its own bucket");
  e.tick = 10ms;
  const TimePoint later = e.now + std::chrono::seconds(2);
  BOOST_REQUIRE(e.until([&] { return e.now >= later; }));  // the bucket refills with time
  RawPeer after(e.target(), 0, source);
  BOOST_TEST(upgraded(e, after));
  BOOST_TEST(e.legit_round_trip());
}

BOOST_AUTO_TEST_CASE(a_peer_that_never_upgrades_is_closed_at_the_deadline) {
  Echo e(small_limits());
  BOOST_REQUIRE(e.legit_round_trip());
  RawPeer silent(e.target());
  RawPeer slow(e.target());
  slow.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");  // slowloris: a request that never ends
  BOOST_REQUIRE(e.until([&] { return e.closed(WebSocketClose::handshake_deadline) == 2; }));
  BOOST_TEST(e.until([&] {
    silent.read_available();
    slow.read_available();
    return silent.closed() && slow.closed();
  }));
  BOOST_TEST(e.legit_round_trip());
}

BOOST_AUTO_TEST_CASE(a_peer_that_stops_talking_is_closed_when_idle) {
  Echo e(small_limits());
  RawPeer p(e.target());
  BOOST_REQUIRE(upgraded(e, p));
  std::size_t round_trips = 0;
  BOOST_REQUIRE(e.until([&] {
    round_trips += e.legit_round_trip() ? 1 : 0;  // the legitimate client keeps talking
    return e.closed(WebSocketClose::idle) == 1;
  }));
  BOOST_TEST(round_trips > 0u);
  BOOST_TEST(e.legit_round_trip());
}

BOOST_AUTO_TEST_CASE(a_slow_reader_is_closed_when_its_send_queue_is_full) {
  WebSocketServerConfig config = small_limits();  // max_send_queue 8
  config.limits.max_message_bytes = max_datagram_bytes;  // fills the kernel's buffers sooner
  config.limits.idle_timeout = std::chrono::hours(1);    // the reader is silent, not idle-closed
  Echo e(config);
  BOOST_REQUIRE(e.legit_round_trip());
  RawPeer p(e.target(), 4096);
  BOOST_REQUIRE(upgraded(e, p));
  p.frame(2, "hello");  // so that the server knows the peer's address
  BOOST_REQUIRE(e.until([&] { return e.senders.size() == 2; }));
  const Address reader = e.senders.back();
  BOOST_REQUIRE(!(reader == e.senders.front()));
  // The reader never reads: the kernel's buffers fill, then the bounded queue, then it is
  // closed. Memory stays bounded by max_send_queue messages whatever the peer does. Fewer
  // messages per step than the queue holds: a peer that reads (the legitimate client, sent
  // the same) never overflows it.
  const std::string payload(max_datagram_bytes, 'z');
  std::size_t steps = 0;
  BOOST_REQUIRE(e.until([&] {
    ++steps;
    for (int i = 0; i < 6; ++i) {
      (void)e.server.send(reader, as_bytes(payload));
      (void)e.server.send(e.senders.front(), as_bytes(payload));
    }
    return e.closed(WebSocketClose::slow_reader) == 1;
  }));
  BOOST_TEST(steps > 1u, "closed only once the kernel's buffers were full");
  BOOST_TEST(e.closed(WebSocketClose::idle) == 0u);
  BOOST_TEST(e.server.send(reader, as_bytes(payload)) == Error::not_connected);
  BOOST_TEST(e.server.connections() == 1u);
  BOOST_TEST(e.legit_round_trip());
}

BOOST_AUTO_TEST_CASE(per_source_rates_that_limit_nothing_are_refused) {
  WebSocketServerConfig config;
  BOOST_TEST(config.check().empty());
  config.connects_per_second_per_source = 2'000'000;  // 1 s / rate would round to nothing
  BOOST_TEST(config.check().find("limits nothing") != std::string::npos);
  config.connects_per_second_per_source = 0;  // off, as documented
  BOOST_TEST(config.check().empty());
}

BOOST_AUTO_TEST_SUITE_END()
