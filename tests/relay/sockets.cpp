// Virtual sockets between clients through the server, over Simulated<Loopback>: listen,
// connect, accept, deny, send, close both ways; every failure reason; idle reaping; limits;
// a peer's disconnect; 100 sockets under 10 % loss.

#include "../typed/harness.hpp"
#include "relay_pack.hpp"

#include <boost/test/unit_test.hpp>

#include <map>
#include <string>

namespace {

using namespace courier;
using namespace courier::test;

std::vector<std::byte> bytes_of(const std::string& s) {
  std::vector<std::byte> out(s.size());
  std::memcpy(out.data(), s.data(), s.size());
  return out;
}
std::string text_of(const std::vector<std::byte>& b) { return std::string(reinterpret_cast<const char*>(b.data()), b.size()); }

/// A world of relay clients, each connected, with its events kept.
struct RelayWorld {
  World<RelayGame> w;
  std::vector<std::vector<Client<RelayGame>::Event>> logs;
  std::vector<VirtualAddress> addresses;  // as assigned at the start (kept after a client leaves)

  explicit RelayWorld(std::size_t clients, ServerConfig sc = World<RelayGame>::default_server_config(),
                      SimulatedConfig link = {})
      : w(sc, link) {
    for (std::size_t i = 0; i < clients; ++i) {
      auto& c = w.add_client(link);
      BOOST_REQUIRE(!c.connect(w.token(1000 + i), Login{"c"}));
    }
    logs.resize(clients);
    BOOST_REQUIRE(w.run_until([&] {
      for (auto& c : w.clients)
        if (!c->relay().address()) return false;
      return true;
    }, std::chrono::seconds(30)));
    for (auto& c : w.clients) addresses.push_back(*c->relay().address());
    collect();
  }

  Client<RelayGame>& c(std::size_t i) { return *w.clients[i]; }
  VirtualAddress address(std::size_t i) const { return addresses[i]; }

  void collect() {
    for (std::size_t i = 0; i < w.clients.size(); ++i)
      for (auto& e : drain(*w.clients[i])) logs[i].push_back(std::move(e));
    (void)drain(*w.server);
  }
  template <class E>
  std::vector<E> events(std::size_t i) {
    collect();
    return of_type<E>(logs[i]);
  }
  template <class E>
  bool wait_for(std::size_t i, std::size_t count = 1, Duration limit = std::chrono::seconds(10)) {
    return w.run_until([&] { return events<E>(i).size() >= count; }, limit);
  }

  /// Opens a socket from client a to client b's `port` (b listens and accepts); returns the id.
  RelaySocketId open(std::size_t a, std::size_t b, std::uint16_t port) {
    c(b).relay().listen(port);
    const std::size_t before_a = events<relay_event::Established>(a).size();
    const std::size_t before_req = events<relay_event::ConnectionRequested>(b).size();
    const RelayConnect r = c(a).relay().connect(address(b), port);
    BOOST_REQUIRE(r);
    BOOST_REQUIRE(wait_for<relay_event::ConnectionRequested>(b, before_req + 1));
    const auto req = events<relay_event::ConnectionRequested>(b).back();
    BOOST_TEST(req.from == address(a));
    BOOST_TEST(req.port == port);
    BOOST_REQUIRE(!c(b).relay().accept(req.socket));
    BOOST_REQUIRE(wait_for<relay_event::Established>(a, before_a + 1));
    const auto est = events<relay_event::Established>(a).back();
    BOOST_TEST(est.request == r.request);
    BOOST_TEST(est.socket == req.socket);
    BOOST_TEST(est.peer == address(b));
    return est.socket;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(sockets_test)

BOOST_AUTO_TEST_CASE(every_client_learns_a_distinct_virtual_address) {
  RelayWorld r(3);
  BOOST_TEST(r.address(0).valid());
  BOOST_TEST(r.address(0) != r.address(1));
  BOOST_TEST(r.address(1) != r.address(2));
  BOOST_TEST(r.events<relay_event::AddressAssigned>(0).size() == 1u);
  const auto h = r.w.server->find(1000);
  BOOST_REQUIRE(h.has_value());
  BOOST_TEST(*r.w.server->virtual_address(*h) == r.address(0));
  BOOST_TEST(*r.w.server->address_book().find(r.address(2)) == 1002u);
}

BOOST_AUTO_TEST_CASE(listen_connect_accept_send_close_both_ways) {
  RelayWorld r(2);
  const RelaySocketId s = r.open(0, 1, 80);
  const auto hello = bytes_of("hello b");
  BOOST_REQUIRE(!r.c(0).relay().send(s, hello));
  BOOST_REQUIRE(r.wait_for<relay_event::Data>(1));
  BOOST_TEST(text_of(r.events<relay_event::Data>(1)[0].bytes) == "hello b");
  BOOST_REQUIRE(!r.c(1).relay_send(s, Chat{"typed reply"}));
  BOOST_REQUIRE(r.wait_for<relay_event::Data>(0));
  const auto reply = Client<RelayGame>::relay_decode<Chat>(r.events<relay_event::Data>(0)[0].bytes);
  BOOST_REQUIRE(reply.has_value());
  BOOST_TEST(std::string(reply->text.view()) == "typed reply");
  // The accepting side saw Established too (request 0).
  BOOST_TEST(r.events<relay_event::Established>(1).at(0).request == 0u);
  // Close from b; a sees by_peer.
  BOOST_REQUIRE(!r.c(1).relay().close(s));
  BOOST_REQUIRE(r.wait_for<relay_event::Closed>(0));
  BOOST_TEST(r.events<relay_event::Closed>(0)[0].reason == RelayCloseReason::by_peer);
  BOOST_TEST(r.c(0).relay().send(s, hello) == make_error_code(Error::not_connected));
  // And the other direction: b connects to a.
  const RelaySocketId back = r.open(1, 0, 81);
  BOOST_REQUIRE(!r.c(1).relay().send(back, bytes_of("from b")));
  BOOST_REQUIRE(r.wait_for<relay_event::Data>(0, 2));
  BOOST_REQUIRE(!r.c(0).relay().close(back));
  BOOST_TEST(r.events<relay_event::Closed>(0).back().reason == RelayCloseReason::by_self);
  BOOST_REQUIRE(r.wait_for<relay_event::Closed>(1, 2));  // its own close of `s`, then `back` by a
  BOOST_TEST(r.events<relay_event::Closed>(1)[0].reason == RelayCloseReason::by_self);
  BOOST_TEST(r.events<relay_event::Closed>(1)[1].reason == RelayCloseReason::by_peer);
  BOOST_TEST(r.w.server->relay_stats().sockets_open == 0u);
}

BOOST_AUTO_TEST_CASE(every_failure_reason) {
  ServerConfig sc = World<RelayGame>::default_server_config();
  sc.relay.connect_timeout = std::chrono::seconds(1);
  RelayWorld r(3, sc);
  auto fails = [&](RelayConnect c, std::size_t n) {
    BOOST_REQUIRE(c);
    BOOST_REQUIRE(r.wait_for<relay_event::Failed>(0, n));
    const auto f = r.events<relay_event::Failed>(0).back();
    BOOST_TEST(f.request == c.request);
    return f.reason;
  };
  // Not listening: refused by b's library without its application seeing it.
  BOOST_TEST(fails(r.c(0).relay().connect(r.address(1), 7), 1) == RelayFailure::port_not_listening);
  BOOST_TEST(r.events<relay_event::ConnectionRequested>(1).empty());
  // Denied by b's application.
  r.c(1).relay().listen(7);
  const RelayConnect denied = r.c(0).relay().connect(r.address(1), 7);
  BOOST_REQUIRE(r.wait_for<relay_event::ConnectionRequested>(1));
  BOOST_REQUIRE(!r.c(1).relay().deny(r.events<relay_event::ConnectionRequested>(1)[0].socket));
  BOOST_TEST(fails(denied, 2) == RelayFailure::denied);
  // Timed out: c listens but never answers; c's pending request is cancelled.
  r.c(2).relay().listen(9);
  BOOST_TEST(fails(r.c(0).relay().connect(r.address(2), 9), 3) == RelayFailure::timed_out);
  BOOST_REQUIRE(r.wait_for<relay_event::Closed>(2));
  BOOST_TEST(r.events<relay_event::Closed>(2)[0].reason == RelayCloseReason::cancelled);
  // Its own address, and an address nobody holds.
  BOOST_TEST(fails(r.c(0).relay().connect(r.address(0), 1), 4) == RelayFailure::invalid_target);
  BOOST_TEST(fails(r.c(0).relay().connect(VirtualAddress{VirtualAddress::first + 500}, 1), 5) == RelayFailure::target_offline);
  // Offline: b leaves, then a tries it.
  r.c(1).disconnect();
  r.w.run_for(std::chrono::milliseconds(100));
  BOOST_TEST(fails(r.c(0).relay().connect(r.address(1), 7), 6) == RelayFailure::target_offline);
}

BOOST_AUTO_TEST_CASE(a_peer_that_leaves_closes_its_sockets) {
  RelayWorld r(2);
  const RelaySocketId s = r.open(0, 1, 5);
  r.c(1).disconnect();
  BOOST_REQUIRE(r.wait_for<relay_event::Closed>(0));
  BOOST_TEST(r.events<relay_event::Closed>(0)[0].socket == s);
  BOOST_TEST(r.events<relay_event::Closed>(0)[0].reason == RelayCloseReason::peer_disconnected);
  BOOST_TEST(r.w.server->relay_stats().sockets_open == 0u);
}

BOOST_AUTO_TEST_CASE(a_close_sent_right_before_leaving_still_arrives_as_a_close) {
  RelayWorld r(2);
  const RelaySocketId s = r.open(0, 1, 5);
  BOOST_REQUIRE(!r.c(0).relay().send(s, bytes_of("last")));
  BOOST_REQUIRE(!r.c(0).relay().close(s));
  r.c(0).disconnect();  // in the same tick: the queued frames go out before the disconnect
  BOOST_REQUIRE(r.wait_for<relay_event::Closed>(1));
  BOOST_TEST(r.events<relay_event::Closed>(1)[0].reason == RelayCloseReason::by_peer);
  BOOST_TEST(text_of(r.events<relay_event::Data>(1).at(0).bytes) == "last");
}

BOOST_AUTO_TEST_CASE(idle_sockets_are_reaped) {
  ServerConfig sc = World<RelayGame>::default_server_config();
  sc.relay.idle_timeout = std::chrono::seconds(2);
  RelayWorld r(2, sc);
  const RelaySocketId busy = r.open(0, 1, 1);
  const RelaySocketId idle = r.open(0, 1, 2);
  for (int i = 0; i < 40; ++i) {  // 4 s of traffic on `busy` only
    BOOST_REQUIRE(!r.c(0).relay().send(busy, bytes_of("tick")));
    r.w.run_for(std::chrono::milliseconds(100));
  }
  const auto closed0 = r.events<relay_event::Closed>(0);
  const auto closed1 = r.events<relay_event::Closed>(1);
  BOOST_REQUIRE_EQUAL(closed0.size(), 1u);
  BOOST_REQUIRE_EQUAL(closed1.size(), 1u);
  BOOST_TEST(closed0[0].socket == idle);
  BOOST_TEST(closed0[0].reason == RelayCloseReason::idle_timeout);
  BOOST_TEST(closed1[0].reason == RelayCloseReason::idle_timeout);
  BOOST_TEST(r.w.server->relay_stats().idle_closes == 1u);
  BOOST_TEST(!r.c(0).relay().send(busy, bytes_of("still open")));
}

BOOST_AUTO_TEST_CASE(limits_refuse_the_offender_and_spare_the_others) {
  ServerConfig sc = World<RelayGame>::default_server_config();
  sc.relay.max_sockets_per_client = 2;
  sc.relay.bytes_per_second = 4000;
  sc.relay.burst_bytes = 4000;
  RelayWorld r(4, sc);
  const RelaySocketId flood = r.open(0, 1, 1);
  (void)r.open(0, 1, 2);
  // A third socket for client 0 is refused, with the reason ...
  const RelayConnect third = r.c(0).relay().connect(r.address(1), 3);
  BOOST_REQUIRE(r.wait_for<relay_event::Failed>(0));
  BOOST_TEST(r.events<relay_event::Failed>(0)[0].request == third.request);
  BOOST_TEST(r.events<relay_event::Failed>(0)[0].reason == RelayFailure::limit_exceeded);
  // ... and so is a connect to client 1, which is at its limit as a target.
  r.c(1).relay().listen(4);
  (void)r.c(2).relay().connect(r.address(1), 4);
  BOOST_REQUIRE(r.wait_for<relay_event::Failed>(2));
  BOOST_TEST(r.events<relay_event::Failed>(2)[0].reason == RelayFailure::limit_exceeded);
  // Client 0 floods above its rate: the excess is dropped and it is told.
  const std::vector<std::byte> kilo(1000, std::byte{0x5A});
  std::size_t accepted = 0;
  for (int i = 0; i < 20; ++i)
    if (!r.c(0).relay().send(flood, kilo)) ++accepted;
  // Meanwhile clients 2 and 3 talk through their own socket, unaffected.
  const RelaySocketId calm = r.open(2, 3, 7);
  for (int i = 0; i < 5; ++i) BOOST_REQUIRE(!r.c(2).relay().send(calm, bytes_of("calm " + std::to_string(i))));
  BOOST_REQUIRE(r.wait_for<relay_event::Refused>(0));
  BOOST_TEST(r.events<relay_event::Refused>(0)[0].error == RelayError::rate_limited);
  BOOST_REQUIRE(r.wait_for<relay_event::Data>(3, 5));
  const auto calm_data = r.events<relay_event::Data>(3);
  for (int i = 0; i < 5; ++i) BOOST_TEST(text_of(calm_data[static_cast<std::size_t>(i)].bytes) == "calm " + std::to_string(i));
  r.w.run_for(std::chrono::milliseconds(500));
  const std::size_t delivered = r.events<relay_event::Data>(1).size();
  BOOST_TEST(accepted == 20u);
  BOOST_TEST(delivered >= 4u);   // the burst allowance
  BOOST_TEST(delivered < 20u);   // not the flood
  BOOST_TEST(r.w.server->relay_stats().rate_limited_bytes >= 1000u * (20u - delivered));
  BOOST_TEST(r.w.server->relay_stats().limit_refusals == 2u);
}

BOOST_AUTO_TEST_CASE(a_hundred_sockets_carry_data_under_ten_percent_loss) {
  SimulatedConfig lossy;
  lossy.loss = 0.1;
  lossy.latency = std::chrono::milliseconds(20);
  ServerConfig sc = World<RelayGame>::default_server_config();
  sc.relay.max_sockets_per_client = 128;
  sc.relay.max_pending_per_client = 128;
  RelayWorld r(4, sc, lossy);
  // 100 sockets: clients 0 and 1 connect to 2 and 3, 25 of each pair.
  std::vector<RelaySocketId> sockets;
  for (std::size_t a = 0; a < 2; ++a)
    for (std::size_t b = 2; b < 4; ++b) {
      r.c(b).relay().listen(static_cast<std::uint16_t>(100 + a));
      for (int k = 0; k < 25; ++k) BOOST_REQUIRE(r.c(a).relay().connect(r.address(b), static_cast<std::uint16_t>(100 + a)));
    }
  BOOST_REQUIRE(r.w.run_until([&] {
    for (std::size_t b = 2; b < 4; ++b)
      for (auto& req : r.events<relay_event::ConnectionRequested>(b))
        if (r.c(b).relay().accept(req.socket)) {}  // a second accept of one socket is refused; fine
    return r.events<relay_event::Established>(0).size() + r.events<relay_event::Established>(1).size() == 100;
  }, std::chrono::seconds(30)));
  // 20 numbered messages on each socket from its initiator, sent as the relay channel's queue
  // allows (send_queue_full is backpressure, not loss); each arrives once, in order.
  std::map<RelaySocketId, std::vector<std::string>> sent;
  std::vector<std::pair<std::size_t, RelaySocketId>> ends;
  for (std::size_t a = 0; a < 2; ++a)
    for (const auto& e : r.events<relay_event::Established>(a)) ends.emplace_back(a, e.socket);
  BOOST_REQUIRE_EQUAL(ends.size(), 100u);
  BOOST_REQUIRE(r.w.run_until([&] {
    for (const auto& [a, socket] : ends) {
      auto& mine = sent[socket];
      while (mine.size() < 20) {
        const std::string text = std::to_string(socket) + "/" + std::to_string(mine.size());
        const std::error_code ec = r.c(a).relay().send(socket, bytes_of(text));
        if (ec == make_error_code(Error::send_queue_full)) break;
        BOOST_REQUIRE_MESSAGE(!ec, ec.message());
        mine.push_back(text);
      }
    }
    return r.events<relay_event::Data>(2).size() + r.events<relay_event::Data>(3).size() == 2000;
  }, std::chrono::seconds(60)));
  std::map<RelaySocketId, std::vector<std::string>> got;
  for (std::size_t b = 2; b < 4; ++b)
    for (const auto& d : r.events<relay_event::Data>(b)) got[d.socket].push_back(text_of(d.bytes));
  BOOST_TEST((got == sent));
  BOOST_TEST(r.w.server->relay_stats().overflow_closes == 0u);
  BOOST_TEST(r.w.server->relay_stats().forwarded_bytes > 0u);
}

// Every end of a client's connection goes through one path that also closes its relay
// sockets: a kick and a server stop both tell the application each open socket is gone.
BOOST_AUTO_TEST_CASE(a_kicked_client_sees_its_open_sockets_closed) {
  RelayWorld r(2);
  const RelaySocketId s = r.open(0, 1, 90);
  r.w.server->disconnect(*r.w.server->find(1000), CloseReason::kicked);
  BOOST_REQUIRE(r.wait_for<Client<RelayGame>::ClosedByServer>(0));
  const auto closed = r.events<relay_event::Closed>(0);
  BOOST_REQUIRE_EQUAL(closed.size(), 1u);
  BOOST_TEST(closed[0].socket == s);
  BOOST_TEST(!r.c(0).relay().address().has_value());
  BOOST_REQUIRE(r.wait_for<relay_event::Closed>(1));  // the other end hears of it through the server
}

BOOST_AUTO_TEST_CASE(a_server_stop_closes_every_clients_sockets) {
  RelayWorld r(2);
  const RelaySocketId s = r.open(0, 1, 91);
  r.w.server->stop();
  for (std::size_t i = 0; i < 2; ++i) {
    BOOST_REQUIRE(r.wait_for<Client<RelayGame>::ClosedByServer>(i));
    const auto closed = r.events<relay_event::Closed>(i);
    BOOST_REQUIRE_EQUAL(closed.size(), 1u);
    BOOST_TEST(closed[0].socket == s);
  }
}

BOOST_AUTO_TEST_SUITE_END()
