// One Multi<Udp, WebSocketServer> server whose UDP socket and WebSocket listener share one port
// number, so a token with one entry serves both kinds of client (docs/PROTOCOL.md Part 5 §3).
// A UDP client and a WebSocket client find each other through the relay and exchange data both
// ways over a virtual socket the server carries between the two links.

#include "../relay/relay_pack.hpp"
#include "../typed/harness.hpp"
#include "ws_harness.hpp"

#include <courier/core/steady_clock.hpp>
#include <courier/transport/multi.hpp>
#include <courier/transport/udp.hpp>
#include <courier/transport/websocket/websocket_client.hpp>
#include <courier/transport/websocket/websocket_server.hpp>

#include <boost/test/unit_test.hpp>

#include <optional>
#include <vector>

namespace {

using namespace courier;
using namespace courier::test;

using MixedRelay = WithTransport<RelayGame, Multi<Udp, WebSocketServer>>;
using UdpRelay = WithTransport<RelayGame, Udp>;
using WsRelay = WithTransport<RelayGame, WebSocketClient>;

/// A UDP socket and a WebSocket listener on one port number of 127.0.0.1 (nullopt when the
/// TCP port happens to be taken).
std::optional<Multi<Udp, WebSocketServer>> same_port() {
  Udp udp(typed_addr("127.0.0.1:0"));
  Address tcp = udp.local_address();
  try {
    WebSocketServer ws(tcp);
    return Multi<Udp, WebSocketServer>(std::move(udp), std::move(ws));
  } catch (const std::system_error&) {
    return std::nullopt;
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(relay_test)

BOOST_AUTO_TEST_CASE(a_udp_and_a_websocket_client_talk_through_the_relay) {
  auto transport = same_port();
  if (!transport) {
    BOOST_WARN_MESSAGE(false, "the UDP socket's port number is taken for TCP; skipped");
    return;
  }
  SteadyClock clock;
  ServerConfig config;
  config.netcode.max_clients = 4;
  config.netcode.private_key = typed_test_key();
  Server<MixedRelay> server(std::move(*transport), config);
  BOOST_REQUIRE_EQUAL(server.public_addresses().size(), 1u);  // one entry for both links
  const Address entry = server.public_address();

  Client<UdpRelay> a(Udp(typed_addr("127.0.0.1:0")));
  Client<WsRelay> b(WebSocketClient{});
  BOOST_REQUIRE(!a.connect(typed_token(UdpRelay::protocol_id, 1, entry, clock.unix_now()), Login{"udp"}));
  BOOST_REQUIRE(!b.connect(typed_token(WsRelay::protocol_id, 2, entry, clock.unix_now()), Login{"ws"}));

  std::vector<Client<UdpRelay>::Event> ea;
  std::vector<Client<WsRelay>::Event> eb;
  const auto run_until = [&](const std::function<bool()>& done) {
    return pump_until([&] {
      a.update(clock);
      b.update(clock);
      server.update(clock);
      (void)drain(server);
      for (auto& e : drain(a)) ea.push_back(std::move(e));
      for (auto& e : drain(b)) eb.push_back(std::move(e));
    }, done);
  };
  BOOST_REQUIRE(run_until([&] { return a.connected() && b.connected(); }));
  BOOST_TEST(server.transport().get<1>().connections() == 1u);
  BOOST_TEST(b.stats().netcode.peers_unreachable == 0u);

  BOOST_REQUIRE(run_until([&] { return a.relay().address() && b.relay().address(); }));
  b.relay().listen(4242);
  const RelayConnect r = a.relay().connect(*b.relay().address(), 4242);
  BOOST_REQUIRE(!r.error);
  BOOST_REQUIRE(run_until([&] { return !of_type<relay_event::ConnectionRequested>(eb).empty(); }));
  const RelaySocketId s = of_type<relay_event::ConnectionRequested>(eb)[0].socket;
  BOOST_REQUIRE(!b.relay().accept(s));
  BOOST_REQUIRE(run_until([&] { return !of_type<relay_event::Established>(ea).empty(); }));
  BOOST_REQUIRE(!a.relay_send(s, Chat{"from udp over the relay"}));
  BOOST_REQUIRE(run_until([&] { return !of_type<relay_event::Data>(eb).empty(); }));
  BOOST_TEST(std::string(Client<WsRelay>::relay_decode<Chat>(of_type<relay_event::Data>(eb)[0].bytes)->text.view()) ==
             "from udp over the relay");
  BOOST_REQUIRE(!b.relay_send(s, Chat{"from ws over the relay"}));
  BOOST_REQUIRE(run_until([&] { return !of_type<relay_event::Data>(ea).empty(); }));
  BOOST_TEST(std::string(Client<UdpRelay>::relay_decode<Chat>(of_type<relay_event::Data>(ea)[0].bytes)->text.view()) ==
             "from ws over the relay");
}

BOOST_AUTO_TEST_SUITE_END()
