// The unreachable reports at work in the netcode layer over WebSocket: a client whose token
// lists a dead address first reaches the second without waiting for the token's timeout, and a
// server frees the slot of a client whose WebSocket closed at once. Both use a 60 s token
// timeout, far beyond the pump's 10 s deadline, so passing shows the timeout was not waited for.

#include "ws_harness.hpp"

#include <courier/netcode/make_connect_token.hpp>
#include <courier/netcode/netcode_client.hpp>
#include <courier/netcode/netcode_server.hpp>
#include <courier/transport/websocket/websocket_client.hpp>
#include <courier/transport/websocket/websocket_server.hpp>

#include <boost/test/unit_test.hpp>

namespace {

using namespace courier;
using namespace courier::test;
namespace nc = courier::netcode;

constexpr std::uint64_t protocol = 0x5753'5753ull;

Key key() {
  Key k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(0x20 + i);
  return k;
}

ConnectToken token(nc::AddressList servers, UnixSeconds now) {
  ConnectTokenParams p;
  p.protocol_id = protocol;
  p.client_id = 7;
  p.public_addresses = servers;
  p.now = now;
  p.private_key = key();
  p.options.timeout_seconds = 60;
  return nc::make_connect_token<Netcode102>(p).value();
}

struct Pair {
  SteadyClock clock;
  nc::NetcodeServer<WebSocketServer> server;
  nc::NetcodeClient<WebSocketClient> client{WebSocketClient{}};

  Pair() : server(WebSocketServer(*Address::parse("127.0.0.1:0")), config()) {}

  static nc::NetcodeServerConfig config() {
    nc::NetcodeServerConfig c;
    c.protocol_id = protocol;
    c.private_key = key();
    return c;
  }
  [[nodiscard]] Address address() { return server.transport().local_address().with_link(Address::Link::datagram); }
  bool until(const std::function<bool()>& done) {
    return pump_until([this] {
      client.update(clock.now());
      server.update(clock);
    }, done);
  }
};

Address dead_address() {
  WebSocketServer gone(*Address::parse("127.0.0.1:0"));
  return gone.local_address().with_link(Address::Link::datagram);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(unreachable_test)

BOOST_AUTO_TEST_CASE(a_dead_first_address_is_skipped_at_once) {
  Pair p;
  const Address dead = dead_address();
  const auto t = token({dead, p.address()}, p.clock.unix_now());
  BOOST_REQUIRE(!p.client.connect(t.bytes(), p.clock.now()));
  BOOST_REQUIRE(p.until([&] { return p.client.connected(); }));
  BOOST_TEST(p.client.server_index() == 1u);
  BOOST_TEST((p.client.server_address() == p.address()));
  BOOST_TEST(p.client.stats().peers_unreachable == 1u);
  BOOST_TEST(p.client.transport().stats().closed(WebSocketClose::connect_failed) == 1u);
}

BOOST_AUTO_TEST_CASE(every_address_dead_fails_at_once) {
  Pair p;
  const auto t = token({dead_address(), dead_address()}, p.clock.unix_now());
  BOOST_REQUIRE(!p.client.connect(t.bytes(), p.clock.now()));
  BOOST_REQUIRE(p.until([&] { return p.client.state() < nc::ClientState::disconnected; }));
  BOOST_TEST((p.client.state() == nc::ClientState::connection_request_timed_out));
  BOOST_TEST(p.client.stats().peers_unreachable == 2u);
}

BOOST_AUTO_TEST_CASE(a_closed_websocket_frees_its_slot_at_once) {
  Pair p;
  const auto t = token({p.address()}, p.clock.unix_now());
  BOOST_REQUIRE(!p.client.connect(t.bytes(), p.clock.now()));
  BOOST_REQUIRE(p.until([&] { return p.client.connected() && p.server.num_connected_clients() == 1; }));
  while (p.server.poll_event()) {}
  // The link goes away without netcode's disconnect packets (a crashed or cut-off client).
  BOOST_TEST(p.client.transport().close(p.address()));
  BOOST_REQUIRE(p.until([&] { return p.server.num_connected_clients() == 0; }));
  BOOST_TEST(p.server.stats().peers_unreachable >= 1u);
  bool disconnected = false;
  while (auto e = p.server.poll_event())
    if (e->type == nc::ServerEventType::client_disconnected) disconnected = e->reason == nc::DisconnectReason::timed_out;
  BOOST_TEST(disconnected);
  // The client learns of it the same way: its connection ends now, as a timeout would end it.
  BOOST_REQUIRE(p.until([&] { return !p.client.connected(); }));
  BOOST_TEST((p.client.state() == nc::ClientState::connection_timed_out));
}

BOOST_AUTO_TEST_SUITE_END()
