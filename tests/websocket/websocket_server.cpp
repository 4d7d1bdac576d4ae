// WebSocketServer and WebSocketClient as transports: binary messages both ways on 127.0.0.1
// and [::1], many connections at once, a link kind on every peer address, the unreachable
// reports (a refused dial, a closed peer), and wss:// with a certificate made at test time
// (verified against it, refused unverified, accepted with accept_self_signed).

#include "ws_harness.hpp"

#include <courier/transport/transport.hpp>
#include <courier/transport/udp.hpp>
#include <courier/transport/unreachable.hpp>
#include <courier/transport/websocket/websocket_client.hpp>
#include <courier/transport/websocket/websocket_server.hpp>

#include <boost/test/unit_test.hpp>

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace {

using namespace courier;
using namespace courier::test;

static_assert(Transport<WebSocketServer>);
static_assert(Transport<WebSocketClient>);
static_assert(ReportsUnreachable<WebSocketServer>);
static_assert(ReportsUnreachable<WebSocketClient>);
static_assert(!ReportsUnreachable<Udp>);

/// A server and clients, pumped together on the steady clock.
struct Net {
  explicit Net(const std::string& bind, WebSocketServerConfig config = {})
      : server(*Address::parse(bind), std::move(config)) {}

  WebSocketClient& add_client(WebSocketClientConfig config = {}) {
    clients.push_back(std::make_unique<WebSocketClient>(std::move(config)));
    return *clients.back();
  }

  void step() {
    const TimePoint now = clock.now();
    server.update(now);
    receive_into(server, at_server);
    for (auto& c : clients) {
      c->update(now);
      c->flush();
    }
    server.flush();
  }
  bool until(const std::function<bool()>& done) {
    return pump_until([this] { step(); }, done);
  }
  /// The server's address as the clients dial it (a token would list it without the link).
  [[nodiscard]] Address target() const { return server.local_address().with_link(Address::Link::datagram); }

  SteadyClock clock;
  WebSocketServer server;
  std::vector<std::unique_ptr<WebSocketClient>> clients;
  std::vector<Datagram> at_server;
};

void exchange(const std::string& bind) {
  Net net(bind);
  BOOST_TEST((net.server.local_address().link() == Address::Link::websocket));
  BOOST_TEST(net.server.local_address().port() != 0);
  WebSocketClient& client = net.add_client();
  BOOST_TEST(!client.send(net.target(), as_bytes("hello server")));
  BOOST_REQUIRE(net.until([&] { return !net.at_server.empty(); }));
  const Datagram got = net.at_server.front();
  BOOST_TEST(as_text(got) == "hello server");
  BOOST_TEST((got.from.link() == Address::Link::websocket), got.from.to_string());
  BOOST_TEST(got.from.to_string().starts_with("ws://"));

  BOOST_TEST(!net.server.send(got.from, as_bytes("hello client")));
  std::vector<Datagram> at_client;
  BOOST_REQUIRE(net.until([&] {
    receive_into(client, at_client);
    return !at_client.empty();
  }));
  BOOST_TEST(as_text(at_client.front()) == "hello client");
  BOOST_TEST((at_client.front().from == net.target()), "the client reports the address it dialled");
  BOOST_TEST(client.is_open(net.target()));
  BOOST_TEST(net.server.stats().connections_opened == 1u);
  BOOST_TEST(client.stats().transport.datagrams_sent == 1u);
  BOOST_TEST(net.server.stats().transport.datagrams_received == 1u);
  // A UDP peer at the same ip:port is someone else.
  BOOST_TEST(net.server.send(got.from.with_link(Address::Link::datagram), as_bytes("x")) == Error::not_connected);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(websocket_server_test)

BOOST_AUTO_TEST_CASE(messages_both_ways_ipv4) { exchange("127.0.0.1:0"); }

BOOST_AUTO_TEST_CASE(messages_both_ways_ipv6) {
  std::error_code ec;
  if (!Udp::open(*Address::parse("[::1]:0"), ec)) {
    BOOST_WARN_MESSAGE(false, "no IPv6 loopback here; skipped");
    return;
  }
  exchange("[::1]:0");
}

BOOST_AUTO_TEST_CASE(many_connections_each_get_their_own_answer) {
  Net net("127.0.0.1:0");
  constexpr std::size_t n = 40;
  for (std::size_t i = 0; i < n; ++i) {
    WebSocketClient& c = net.add_client();
    BOOST_TEST(!c.send(net.target(), as_bytes("client " + std::to_string(i))));
  }
  BOOST_REQUIRE(net.until([&] { return net.at_server.size() == n; }));
  std::set<Address> peers;
  for (const Datagram& d : net.at_server) {
    peers.insert(d.from);
    BOOST_TEST(!net.server.send(d.from, as_bytes("re: " + as_text(d))));
  }
  BOOST_TEST(peers.size() == n);
  BOOST_TEST(net.server.connections() == n);
  std::vector<std::vector<Datagram>> answers(n);
  BOOST_REQUIRE(net.until([&] {
    std::size_t done = 0;
    for (std::size_t i = 0; i < n; ++i) {
      receive_into(*net.clients[i], answers[i]);
      done += answers[i].size() == 1 ? 1 : 0;
    }
    return done == n;
  }));
  for (std::size_t i = 0; i < n; ++i) BOOST_TEST(as_text(answers[i].front()) == "re: client " + std::to_string(i));
}

BOOST_AUTO_TEST_CASE(a_refused_dial_is_reported_unreachable) {
  Address dead;
  {
    WebSocketServer gone(*Address::parse("127.0.0.1:0"));
    dead = gone.local_address().with_link(Address::Link::datagram);
  }
  WebSocketClient client;
  SteadyClock clock;
  BOOST_TEST(!client.send(dead, as_bytes("anyone?")));
  std::optional<Address> reported;
  BOOST_REQUIRE(pump_until([&] { client.update(clock.now()); }, [&] {
    reported = client.take_unreachable();
    return reported.has_value();
  }));
  BOOST_TEST((*reported == dead));
  BOOST_TEST(client.stats().closed(WebSocketClose::connect_failed) == 1u);
  BOOST_TEST(client.connections() == 0u);
  BOOST_TEST(!client.take_unreachable().has_value(), "reported once");
}

BOOST_AUTO_TEST_CASE(a_peer_that_closes_is_reported_unreachable_by_the_server) {
  Net net("127.0.0.1:0");
  WebSocketClient& client = net.add_client();
  BOOST_TEST(!client.send(net.target(), as_bytes("hi")));
  BOOST_REQUIRE(net.until([&] { return !net.at_server.empty(); }));
  const Address peer = net.at_server.front().from;
  BOOST_TEST(client.close(net.target()));
  std::optional<Address> reported;
  BOOST_REQUIRE(net.until([&] {
    reported = net.server.take_unreachable();
    return reported.has_value();
  }));
  BOOST_TEST((*reported == peer));
  BOOST_TEST(net.server.stats().closed(WebSocketClose::peer_closed) == 1u);
  BOOST_TEST(net.server.connections() == 0u);
  BOOST_TEST(client.stats().closed(WebSocketClose::closed_here) == 1u);
}

BOOST_AUTO_TEST_CASE(moved_transports_keep_working) {
  Net net("127.0.0.1:0");
  WebSocketClient first;
  BOOST_TEST(!first.send(net.target(), as_bytes("before the move")));
  WebSocketClient moved = std::move(first);
  BOOST_REQUIRE(net.until([&] {
    moved.update(net.clock.now());
    return !net.at_server.empty();
  }));
  BOOST_TEST(as_text(net.at_server.front()) == "before the move");
  BOOST_TEST(first.send(net.target(), as_bytes("x")) == Error::not_connected);  // NOLINT(bugprone-use-after-move)
}

BOOST_AUTO_TEST_SUITE_END()
