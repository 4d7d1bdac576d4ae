// Client<Pack> and Server<Pack> over WebSocket: ws:// and wss:// on 127.0.0.1 and [::1], with
// typed messages on every channel mode both ways, a request answered and one acknowledged, a
// reconnect after the link is cut, a kick whose reason the client sees, a client leaving and a
// server shutdown. Then one Multi<Udp, WebSocketServer> server with a UDP and a WebSocket
// client at once, exchanging chat through the server; the WebSocket client's token lists the
// UDP address first, which it skips at once.

#include "typed_world.hpp"

#include <boost/test/unit_test.hpp>

namespace {

using namespace courier;
using namespace courier::test;

constexpr auto kick_reason = static_cast<CloseReason>(static_cast<std::uint16_t>(CloseReason::application) + 3);

bool have_ipv6() {
  std::error_code ec;
  return Udp::open(typed_addr("[::1]:0"), ec).has_value();
}

/// Every channel mode both ways, then both kinds of request.
template <class S, class P>
void messages_and_requests(TypedWorld<S>& w, TypedPeer<P>& a, ClientHandle ha) {
  Client<P>& ca = *a.client;
  const Signal c_chat = ca.send(Chat{"hello over ws"});
  const Signal c_note = ca.send(Note{17});
  const Signal s_chat = w.server().send(ha, Chat{"welcome over ws"});
  const Signal s_note = w.server().send(ha, Note{23});
  BOOST_TEST((static_cast<bool>(c_chat) && static_cast<bool>(c_note) && static_cast<bool>(s_chat) && static_cast<bool>(s_note)));
  // Unreliable modes may lose a message: send again each step until one arrived.
  const bool exchanged = w.run_until([&] {
    if (w.moves_.empty()) (void)ca.send(Move{3, -4});
    if (w.pings_.empty()) (void)ca.send(Ping{5});
    if (a.template all<client_event::Message<Move>>().empty()) (void)w.server().send(ha, Move{-6, 7});
    if (a.template all<client_event::Message<Ping>>().empty()) (void)w.server().send(ha, Ping{8});
    return !w.chats_.empty() && !w.notes_.empty() && !w.moves_.empty() && !w.pings_.empty() &&
           !a.template all<client_event::Message<Chat>>().empty() && !a.template all<client_event::Message<Note>>().empty() &&
           !a.template all<client_event::Message<Move>>().empty() && !a.template all<client_event::Message<Ping>>().empty();
  });
  BOOST_REQUIRE_MESSAGE(exchanged, "messages did not all arrive");
  BOOST_TEST(w.run_until([&] {
    return ca.status(c_chat).state == DeliveryState::acked && ca.status(c_note).state == DeliveryState::acked &&
           w.server().status(s_chat).state == DeliveryState::acked && w.server().status(s_note).state == DeliveryState::acked;
  }));
  BOOST_TEST(std::string(w.chats_.at(0).message.text.view()) == "hello over ws");
  BOOST_TEST(w.notes_.at(0).message.n == 17u);
  BOOST_TEST(w.moves_.front().message.x == 3);
  BOOST_TEST(w.pings_.front().message.n == 5u);
  BOOST_TEST(std::string(a.template all<client_event::Message<Chat>>().at(0).message.text.view()) == "welcome over ws");
  BOOST_TEST(a.template all<client_event::Message<Note>>().at(0).message.n == 23u);
  BOOST_TEST(a.template all<client_event::Message<Move>>().front().message.y == 7);
  BOOST_TEST(a.template all<client_event::Message<Ping>>().front().message.n == 8u);

  const RequestSignal save = ca.request(Save{42});
  const RequestSignal login = ca.request(Login{"again"});
  BOOST_REQUIRE((static_cast<bool>(save) && static_cast<bool>(login)));
  BOOST_TEST(w.run_until([&] { return is_final(ca.status(save)) && is_final(ca.status(login)); }));
  BOOST_TEST(ca.status(save) == RequestStatus::responded);
  BOOST_TEST(ca.status(login) == RequestStatus::acked);
  const auto responses = a.template all<client_event::Response<Saved>>();
  BOOST_REQUIRE_EQUAL(responses.size(), 1u);
  BOOST_TEST(responses[0].response.ok);
}

/// The whole typed exchange over one WebSocket server at `bind`.
void exercise(const std::string& bind, const TestCertificate* cert) {
  WebSocketServerConfig sc;
  WebSocketClientConfig cc;
  if (cert != nullptr) {
    sc.certificate_file = cert->certificate;
    sc.private_key_file = cert->key;
    cc.secure = true;
    cc.ca_file = cert->certificate;  // verified, against the test's own certificate
  }
  TypedWorld<WsServerGame> w(WebSocketServer(typed_addr(bind), sc));
  BOOST_TEST((w.server().public_address().link() ==
              (cert ? Address::Link::websocket_secure : Address::Link::websocket)));

  // ---- connect, messages, requests ------------------------------------------------------
  auto& a = w.add<WsClientGame>(WebSocketClient(cc));
  const auto ha = w.connect(a, 1, "ws-a");
  BOOST_REQUIRE_MESSAGE(ha.has_value(), "client A did not connect over WebSocket");
  BOOST_TEST(std::string(w.connected_.at(0).message.name.view()) == "ws-a");
  BOOST_TEST(w.connected_.at(0).address.is_websocket());
  messages_and_requests(w, a, *ha);
  BOOST_TEST(w.server().transport().stats().connections_opened == 1u);

  // ---- the link is cut: the client reconnects with its reconnect token ------------------
  BOOST_REQUIRE(w.settle(a));
  const Address peer = w.server().info(*ha)->address;
  BOOST_REQUIRE(w.server().transport().close(peer));
  BOOST_REQUIRE(w.run_until([&] { return w.connected_.size() == 2; }));
  BOOST_TEST(w.connected_[1].client_id == 1u);
  BOOST_REQUIRE(w.run_until([&] { return a.all<client_event::Connected>().size() == 2; }));
  BOOST_TEST(a.all<client_event::Connected>()[1].reconnected);
  BOOST_TEST(a.all<client_event::Disconnected>().at(0).reconnecting);
  const ClientHandle ha2 = *w.handle_of(1);
  BOOST_TEST(static_cast<bool>(w.server().send(ha2, Chat{"after the reconnect"})));
  BOOST_TEST(w.run_until([&] { return a.all<client_event::Message<Chat>>().size() == 2; }));

  // ---- kick with a reason: ClosedByServer, no reconnect ----------------------------------
  BOOST_REQUIRE(w.settle(a));
  w.server().disconnect(ha2, kick_reason);
  BOOST_TEST(w.run_until([&] { return !a.all<client_event::ClosedByServer>().empty(); }));
  BOOST_TEST((a.all<client_event::ClosedByServer>().at(0).reason == kick_reason));
  w.run_for(std::chrono::milliseconds(300));
  BOOST_TEST((a.client->state() == ClientState::disconnected));
  BOOST_TEST(a.all<client_event::Connected>().size() == 2u, "the kicked client must not come back");

  // ---- a client leaving, then the server stopping ----------------------------------------
  auto& b = w.add<WsClientGame>(WebSocketClient(cc));
  BOOST_REQUIRE(w.connect(b, 2, "ws-b").has_value());
  b.client->disconnect();
  BOOST_TEST(w.run_until([&] {
    for (const auto& d : w.disconnected_)
      if (d.client_id == 2) return true;
    return false;
  }));
  auto& c = w.add<WsClientGame>(WebSocketClient(cc));
  BOOST_REQUIRE(w.connect(c, 3, "ws-c").has_value());
  BOOST_REQUIRE(w.settle(c));
  w.server().stop();
  BOOST_TEST(w.run_until([&] { return !c.all<client_event::ClosedByServer>().empty(); }));
  BOOST_TEST((c.all<client_event::ClosedByServer>().at(0).reason == CloseReason::server_shutting_down));
  BOOST_TEST(w.unexpected_ == 0u);
  BOOST_TEST(w.server().stats().typed.protocol_violations == 0u);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(typed_test)

BOOST_AUTO_TEST_CASE(ws_ipv4) { exercise("127.0.0.1:0", nullptr); }

BOOST_AUTO_TEST_CASE(ws_ipv6) {
  if (!have_ipv6()) {
    BOOST_WARN_MESSAGE(false, "no IPv6 loopback here; skipped");
    return;
  }
  exercise("[::1]:0", nullptr);
}

BOOST_AUTO_TEST_CASE(wss_ipv4) {
  TestCertificate cert;
  BOOST_REQUIRE_MESSAGE(cert.made, "the openssl command could not make a certificate");
  exercise("127.0.0.1:0", &cert);
}

BOOST_AUTO_TEST_CASE(wss_ipv6) {
  if (!have_ipv6()) {
    BOOST_WARN_MESSAGE(false, "no IPv6 loopback here; skipped");
    return;
  }
  TestCertificate cert;
  BOOST_REQUIRE_MESSAGE(cert.made, "the openssl command could not make a certificate");
  exercise("[::1]:0", &cert);
}

// One server, one slot table, both kinds of client; each chat is passed on to the other client.
BOOST_AUTO_TEST_CASE(udp_and_websocket_clients_on_one_server) {
  Udp udp(typed_addr("127.0.0.1:0"));
  WebSocketServer ws(typed_addr("127.0.0.1:0"));
  ServerConfig config;
  config.netcode.other_public_addresses.push_back(ws.local_address());
  TypedWorld<MixedServerGame> w(Multi<Udp, WebSocketServer>(std::move(udp), std::move(ws)), config);
  const auto listed = w.server().public_addresses();
  BOOST_REQUIRE_EQUAL(listed.size(), 2u);
  BOOST_TEST(!listed[0].is_websocket(), "the token lists the UDP address first");

  auto& u = w.add<UdpClientGame>(Udp(typed_addr("127.0.0.1:0")));
  auto& s = w.add<WsClientGame>(WebSocketClient{});
  const auto hu = w.connect(u, 10, "udp");
  const auto hs = w.connect(s, 11, "ws");
  BOOST_REQUIRE((hu && hs));
  BOOST_TEST(w.server().num_connected() == 2u);
  BOOST_TEST(!w.server().info(*hu)->address.is_websocket());
  BOOST_TEST(w.server().info(*hs)->address.is_websocket());
  BOOST_TEST(s.client->stats().netcode.peers_unreachable == 1u, "the UDP entry was skipped at once");

  w.on_chat = [&](const server_event::Message<Chat>& m) {
    const ClientHandle other = m.client == *hu ? *hs : *hu;
    (void)w.server().send(other, m.message);
  };
  BOOST_TEST(static_cast<bool>(u.client->send(Chat{"from udp"})));
  BOOST_TEST(static_cast<bool>(s.client->send(Chat{"from ws"})));
  BOOST_REQUIRE(w.run_until([&] {
    return !u.all<client_event::Message<Chat>>().empty() && !s.all<client_event::Message<Chat>>().empty();
  }));
  BOOST_TEST(std::string(u.all<client_event::Message<Chat>>()[0].message.text.view()) == "from ws");
  BOOST_TEST(std::string(s.all<client_event::Message<Chat>>()[0].message.text.view()) == "from udp");
}

BOOST_AUTO_TEST_SUITE_END()
