// Waiting for a WebSocket transport's input: wait_for_input (and Server::wait / Client::wait)
// wakes when a binary message arrives instead of sleeping its whole time, alone and inside a
// Multi<Udp, WebSocketServer> whose UDP socket can wake it too. Only outcomes are checked (the
// wait says input is there, and receive then has it), never how long a wait took: a wait that
// slept instead would return false after its 30 s.

#include "ws_harness.hpp"

#include <courier/transport/multi.hpp>
#include <courier/transport/udp.hpp>
#include <courier/transport/wait.hpp>
#include <courier/transport/websocket/websocket_client.hpp>
#include <courier/transport/websocket/websocket_server.hpp>

#include <boost/test/unit_test.hpp>

#include <array>
#include <vector>

namespace {

using namespace courier;
using namespace courier::test;
using namespace std::chrono_literals;

static_assert(WaitsForInput<WebSocketServer> && !Pollable<WebSocketServer>);
static_assert(WaitsForInput<WebSocketClient>);
static_assert(WaitsForInput<Multi<Udp, WebSocketServer>>);

/// Pumps `server` and `client` until the server holds a first message from the client (the
/// connection is then open both ways). Returns the client's address as the server sees it.
template <class Server>
Address connect(Server& server, WebSocketClient& client, Address target) {
  SteadyClock clock;
  std::vector<Datagram> got;
  BOOST_REQUIRE(!client.send(target, as_bytes("hello")));
  BOOST_REQUIRE(pump_until(
      [&] {
        server.update(clock.now());
        client.update(clock.now());
        client.flush();
        receive_into(server, got);
      },
      [&] { return !got.empty(); }));
  return got.front().from;
}

template <class T>
std::vector<Datagram> take_all(T& t) {
  std::vector<Datagram> got;
  receive_into(t, got);
  return got;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(wait_test)

BOOST_AUTO_TEST_CASE(a_wait_with_nothing_to_read_times_out) {
  WebSocketServer server(*Address::parse("127.0.0.1:0"));
  WebSocketClient idle;  // no connection: nothing for Asio to wait on
  BOOST_TEST(!server.wait_for_input(5ms));
  BOOST_TEST(!idle.wait_for_input(5ms));
  BOOST_TEST(!wait_for_input(Duration::zero(), server));
}

BOOST_AUTO_TEST_CASE(a_message_ends_the_servers_and_the_clients_wait) {
  WebSocketServer server(*Address::parse("127.0.0.1:0"));
  WebSocketClient client;
  const Address target = server.local_address().with_link(Address::Link::datagram);
  const Address peer = connect(server, client, target);

  BOOST_TEST(!client.send(target, as_bytes("ping")));
  client.flush();
  BOOST_TEST(wait_for_input(30s, server));
  const auto at_server = take_all(server);
  BOOST_REQUIRE_EQUAL(at_server.size(), 1u);
  BOOST_TEST(as_text(at_server.front()) == "ping");

  BOOST_TEST(!server.send(peer, as_bytes("pong")));
  server.flush();
  BOOST_TEST(client.wait_for_input(30s));
  const auto at_client = take_all(client);
  BOOST_REQUIRE_EQUAL(at_client.size(), 1u);
  BOOST_TEST(as_text(at_client.front()) == "pong");
}

BOOST_AUTO_TEST_CASE(a_multi_wakes_for_either_part) {
  Multi<Udp, WebSocketServer> multi(Udp(*Address::parse("127.0.0.1:0")), WebSocketServer(*Address::parse("127.0.0.1:0")));
  WebSocketClient ws_client;
  const Address ws_target = multi.get<1>().local_address().with_link(Address::Link::datagram);
  (void)connect(multi, ws_client, ws_target);

  Udp udp_client(*Address::parse("127.0.0.1:0"));
  BOOST_TEST(!udp_client.send(multi.local_address(), as_bytes("over udp")));
  udp_client.flush();
  BOOST_TEST(wait_for_input(30s, multi));  // the UDP socket's descriptor wakes Asio's wait
  auto got = take_all(multi);
  BOOST_REQUIRE_EQUAL(got.size(), 1u);
  BOOST_TEST(as_text(got.front()) == "over udp");

  BOOST_TEST(!ws_client.send(ws_target, as_bytes("over websocket")));
  ws_client.flush();
  BOOST_TEST(multi.wait_for_input(30s));
  got = take_all(multi);
  BOOST_REQUIRE_EQUAL(got.size(), 1u);
  BOOST_TEST(as_text(got.front()) == "over websocket");

  BOOST_TEST(!multi.wait_for_input(5ms));  // both drained: a timeout again
}

BOOST_AUTO_TEST_SUITE_END()
