// Client<Pack> and Server<Pack> over real UDP sockets on 127.0.0.1 and [::1] with the
// SteadyClock: connect with a connect message, messages both ways on every channel mode, a
// request answered and one acknowledged, a forced disconnect whose CloseReason the client sees
// as ClosedByServer (and no reconnect follows), a client leaving on its own, and a server
// shutdown. Loops are bounded by generous wall-clock deadlines; nothing asserts on timing.
// A machine without IPv6 loopback skips the [::1] case with a warning (as tests/netcode/udp_connect.cpp).

#include "game_pack.hpp"
#include "harness.hpp"

#include <courier/core/steady_clock.hpp>
#include <courier/transport/udp.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace courier;
using namespace courier::test;
using namespace std::chrono_literals;

using UdpGame = WithTransport<Game, Udp>;
using UdpClient = Client<UdpGame>;
using UdpServer = Server<UdpGame>;

constexpr auto deadline = 10s;  // per phase; a healthy run needs well under a second
constexpr auto close_reason = static_cast<CloseReason>(static_cast<std::uint16_t>(CloseReason::application) + 7);

std::optional<Udp> open_udp(const std::string& text) {
  std::error_code ec;
  auto udp = Udp::open(typed_addr(text), ec);
  if (ec) BOOST_TEST_MESSAGE("cannot open " << text << ": " << ec.message());
  return udp;
}

/// One client and every event it reported.
struct Peer {
  std::unique_ptr<UdpClient> client;
  Address address;
  std::vector<UdpClient::Event> events;

  template <class E>
  [[nodiscard]] std::vector<E> all() const {
    return of_type<E>(events);
  }
};

/// A server on a real socket, its clients, a real clock, and the server's events.
class UdpWorld {
 public:
  UdpWorld(Udp server_socket, const std::string& host) {
    public_address_ = typed_addr(host.find(':') != std::string::npos ? "[" + host + "]:1" : host + ":1");
    public_address_.set_port(server_socket.local_address().port());
    ServerConfig config;
    config.netcode.max_clients = 8;
    config.netcode.private_key = typed_test_key();
    config.netcode.public_address = public_address_;
    server_ = std::make_unique<UdpServer>(std::move(server_socket), config);
  }

  [[nodiscard]] UdpServer& server() noexcept { return *server_; }

  /// A new client on its own socket; nullptr when the socket cannot open.
  Peer* add_client(const std::string& bind) {
    auto socket = open_udp(bind);
    if (!socket) return nullptr;
    auto p = std::make_unique<Peer>();
    p->address = socket->local_address();
    p->client = std::make_unique<UdpClient>(std::move(*socket));
    peers_.push_back(std::move(p));
    return peers_.back().get();
  }

  Token token(std::uint64_t client_id) const {
    return typed_token(UdpGame::protocol_id, client_id, public_address_, clock_.unix_now());
  }

  /// Updates every client and the server, drains their events, lets the kernel deliver.
  void step() {
    for (auto& p : peers_) {
      p->client->update(clock_);
      while (auto e = p->client->poll_event()) p->events.push_back(std::move(*e));
    }
    server_->update(clock_);
    while (auto e = server_->poll_event()) on_server_event(std::move(*e));
    std::this_thread::sleep_for(1ms);
  }

  /// Steps until `done()` or the wall-clock deadline; true when done.
  bool run_until(const std::function<bool()>& done) {
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < end) {
      if (done()) return true;
      step();
    }
    return done();
  }
  /// Steps for a while (to see that nothing more happens).
  void run_for(std::chrono::milliseconds d) {
    const auto end = std::chrono::steady_clock::now() + d;
    while (std::chrono::steady_clock::now() < end) step();
  }

  /// Waits until `p` holds its reconnect token, then lets the acks travel back (the server
  /// sends the token as a 2 KB block right after its hello; until that block is acked, later
  /// control frames such as a close frame wait behind it: see the test case at the end).
  bool settle(Peer& p) {
    if (!run_until([&] { return p.client->has_reconnect_token(); })) return false;
    run_for(200ms);
    return true;
  }

  /// Connects `p` as `client_id`; the server's handle for it, or nullopt.
  std::optional<ClientHandle> connect(Peer& p, std::uint64_t client_id, const std::string& name) {
    if (p.client->connect(token(client_id), Login{std::string_view(name)})) return std::nullopt;
    if (!run_until([&] { return p.client->connected() && handle_of(client_id).has_value(); })) return std::nullopt;
    return handle_of(client_id);
  }

  [[nodiscard]] std::optional<ClientHandle> handle_of(std::uint64_t client_id) const {
    for (const auto& c : connected_)
      if (c.client_id == client_id) return c.client;
    return std::nullopt;
  }

  std::vector<server_event::Connected<Login>> connected_;
  std::vector<server_event::Disconnected> disconnected_;
  std::vector<server_event::Message<Chat>> chats_;
  std::vector<server_event::Message<Note>> notes_;
  std::vector<server_event::Message<Move>> moves_;
  std::vector<server_event::Message<Ping>> pings_;
  std::vector<Signal> responses_;  // what respond / acknowledge returned
  std::size_t saves_ = 0;
  std::size_t logins_ = 0;
  std::size_t unexpected_ = 0;

 private:
  void on_server_event(UdpServer::Event e) {
    std::visit(overloaded{
        [&](server_event::Connected<Login>& c) { connected_.push_back(c); },
        [&](server_event::Disconnected& d) { disconnected_.push_back(d); },
        [&](server_event::Message<Chat>& m) { chats_.push_back(m); },
        [&](server_event::Message<Note>& m) { notes_.push_back(m); },
        [&](server_event::Message<Move>& m) { moves_.push_back(m); },
        [&](server_event::Message<Ping>& m) { pings_.push_back(m); },
        [&](server_event::Request<UdpGame, Save>& r) {
          ++saves_;
          responses_.push_back(server_->respond(std::move(r.token), Saved{r.request.slot == 42}));
        },
        [&](server_event::Request<UdpGame, Login>& r) {
          ++logins_;
          responses_.push_back(server_->acknowledge(std::move(r.token)));
        },
        [&](auto&) { ++unexpected_; }},
        e);
  }

  SteadyClock clock_;
  Address public_address_;
  std::unique_ptr<UdpServer> server_;
  std::vector<std::unique_ptr<Peer>> peers_;
};

/// The whole exchange over sockets bound at `bind` (`host:0`), tokens naming `host`.
void exercise(const std::string& bind, const std::string& host) {
  auto server_socket = open_udp(bind);
  if (!server_socket) {
    BOOST_WARN_MESSAGE(false, "UDP on " << bind << " unavailable here; skipped");
    return;
  }
  UdpWorld w(std::move(*server_socket), host);
  Peer* a = w.add_client(bind);
  BOOST_REQUIRE(a != nullptr);

  // ---- connect --------------------------------------------------------------------------
  const auto ha = w.connect(*a, 1, "udp-a");
  BOOST_REQUIRE_MESSAGE(ha.has_value(), "client A did not connect over UDP");
  BOOST_REQUIRE_EQUAL(w.connected_.size(), 1u);
  BOOST_TEST(w.connected_[0].client_id == 1u);
  BOOST_TEST(std::string(w.connected_[0].message.name.view()) == "udp-a");
  BOOST_TEST(!w.connected_[0].local);
  BOOST_TEST((w.connected_[0].address == a->address), w.connected_[0].address.to_string() << " vs " << a->address.to_string());
  BOOST_TEST(a->all<client_event::Connected>().size() == 1u);
  BOOST_TEST(w.server().connected(*ha));
  BOOST_TEST(w.server().num_connected() == 1u);

  // ---- messages both ways on every channel mode ------------------------------------------
  UdpClient& ca = *a->client;
  const Signal c_chat = ca.send(Chat{"hello over udp"});
  const Signal c_note = ca.send(Note{17});
  const Signal s_chat = w.server().send(*ha, Chat{"welcome over udp"});
  const Signal s_note = w.server().send(*ha, Note{23});
  BOOST_TEST(static_cast<bool>(c_chat));
  BOOST_TEST(static_cast<bool>(c_note));
  BOOST_TEST(static_cast<bool>(s_chat));
  BOOST_TEST(static_cast<bool>(s_note));
  // Unreliable messages may be lost even on loopback: each side sends them again every step
  // until the other has one.
  std::size_t unreliable_refused = 0;
  const bool exchanged = w.run_until([&] {
    if (w.moves_.empty()) unreliable_refused += !ca.send(Move{3, -4}) ? 1 : 0;
    if (w.pings_.empty()) unreliable_refused += !ca.send(Ping{5}) ? 1 : 0;
    if (a->all<client_event::Message<Move>>().empty()) unreliable_refused += !w.server().send(*ha, Move{-6, 7}) ? 1 : 0;
    if (a->all<client_event::Message<Ping>>().empty()) unreliable_refused += !w.server().send(*ha, Ping{8}) ? 1 : 0;
    return !w.chats_.empty() && !w.notes_.empty() && !w.moves_.empty() && !w.pings_.empty() &&
           !a->all<client_event::Message<Chat>>().empty() && !a->all<client_event::Message<Note>>().empty() &&
           !a->all<client_event::Message<Move>>().empty() && !a->all<client_event::Message<Ping>>().empty();
  });
  BOOST_REQUIRE_MESSAGE(exchanged, "messages did not all arrive within " << deadline.count() << " s");
  BOOST_TEST(unreliable_refused == 0u);
  // Reliable: every send reads Acked in the end.
  BOOST_TEST(w.run_until([&] {
    return ca.status(c_chat).state == DeliveryState::acked && ca.status(c_note).state == DeliveryState::acked &&
           w.server().status(s_chat).state == DeliveryState::acked && w.server().status(s_note).state == DeliveryState::acked;
  }));
  BOOST_REQUIRE_EQUAL(w.chats_.size(), 1u);
  BOOST_TEST(std::string(w.chats_[0].message.text.view()) == "hello over udp");
  BOOST_TEST((w.chats_[0].client == *ha));
  BOOST_REQUIRE_EQUAL(w.notes_.size(), 1u);
  BOOST_TEST(w.notes_[0].message.n == 17u);
  BOOST_TEST(w.moves_.front().message.x == 3);
  BOOST_TEST(w.moves_.front().message.y == -4);
  BOOST_TEST(w.pings_.front().message.n == 5u);
  const auto chats = a->all<client_event::Message<Chat>>();
  BOOST_REQUIRE_EQUAL(chats.size(), 1u);
  BOOST_TEST(std::string(chats[0].message.text.view()) == "welcome over udp");
  const auto notes = a->all<client_event::Message<Note>>();
  BOOST_REQUIRE_EQUAL(notes.size(), 1u);
  BOOST_TEST(notes[0].message.n == 23u);
  const auto moves = a->all<client_event::Message<Move>>();
  BOOST_TEST(moves.front().message.x == -6);
  BOOST_TEST(moves.front().message.y == 7);
  BOOST_TEST(a->all<client_event::Message<Ping>>().front().message.n == 8u);

  // ---- requests: one answered with a response, one acknowledged --------------------------
  const RequestSignal save = ca.request(Save{42});
  const RequestSignal login = ca.request(Login{"again"});
  BOOST_REQUIRE(static_cast<bool>(save));
  BOOST_REQUIRE(static_cast<bool>(login));
  BOOST_TEST(save.id != login.id);
  BOOST_TEST(w.run_until([&] { return is_final(ca.status(save)) && is_final(ca.status(login)); }));
  BOOST_TEST(ca.status(save) == RequestStatus::responded);
  BOOST_TEST(ca.status(login) == RequestStatus::acked);
  BOOST_TEST(w.saves_ == 1u);
  BOOST_TEST(w.logins_ == 1u);
  for (const Signal& s : w.responses_) BOOST_TEST(static_cast<bool>(s));
  const auto responses = a->all<client_event::Response<Saved>>();
  BOOST_REQUIRE_EQUAL(responses.size(), 1u);
  BOOST_TEST(responses[0].id == save.id);
  BOOST_TEST(responses[0].response.ok);
  const auto ended = a->all<client_event::RequestEnded>();
  BOOST_REQUIRE_EQUAL(ended.size(), 1u);
  BOOST_TEST(ended[0].id == login.id);
  BOOST_TEST(ended[0].status == RequestStatus::acked);

  // The server's view of the client.
  const auto info = w.server().info(*ha);
  BOOST_REQUIRE(info.has_value());
  BOOST_TEST(info->client_id == 1u);
  BOOST_TEST((info->address == a->address));
  BOOST_TEST(info->stats.protocol_violations == 0u);
  BOOST_TEST(info->stats.endpoint.packets_received > 0u);
  BOOST_TEST(ca.stats().typed.protocol_violations == 0u);
  BOOST_TEST(ca.stats().typed.undecodable_messages == 0u);

  // ---- forced disconnect with a reason: ClosedByServer, and no reconnect -----------------
  BOOST_TEST(w.settle(*a));
  w.server().disconnect(*ha, close_reason);
  BOOST_TEST(!w.server().connected(*ha));
  BOOST_TEST(w.run_until([&] { return !a->all<client_event::ClosedByServer>().empty(); }));
  const auto closed = a->all<client_event::ClosedByServer>();
  BOOST_REQUIRE_EQUAL(closed.size(), 1u);
  BOOST_TEST((closed[0].reason == close_reason), static_cast<unsigned>(closed[0].reason));
  BOOST_TEST(std::string(describe(closed[0].reason)) == "application-defined");
  BOOST_TEST(!ca.connected());
  w.run_for(300ms);  // a reconnect would start at once (first attempt without backoff)
  BOOST_TEST((ca.state() == ClientState::disconnected));
  BOOST_TEST(!ca.has_reconnect_token());
  BOOST_TEST(a->all<client_event::Connected>().size() == 1u, "the kicked client must not come back");
  BOOST_TEST(a->all<client_event::IsDead>().empty());
  for (const auto& d : a->all<client_event::Disconnected>())
    BOOST_TEST(!d.reconnecting, "a client closed by the server must not try to reconnect");
  BOOST_REQUIRE_EQUAL(w.disconnected_.size(), 1u);
  BOOST_TEST(w.disconnected_[0].client_id == 1u);
  BOOST_TEST((w.disconnected_[0].client == *ha));
  BOOST_TEST(w.server().num_connected() == 0u);

  // ---- a client leaving on its own --------------------------------------------------------
  Peer* b = w.add_client(bind);
  BOOST_REQUIRE(b != nullptr);
  const auto hb = w.connect(*b, 2, "udp-b");
  BOOST_REQUIRE_MESSAGE(hb.has_value(), "client B did not connect over UDP");
  b->client->disconnect();
  BOOST_TEST(!b->client->connected());
  BOOST_TEST(w.run_until([&] { return w.disconnected_.size() == 2; }));
  BOOST_REQUIRE_EQUAL(w.disconnected_.size(), 2u);
  BOOST_TEST(w.disconnected_[1].client_id == 2u);
  BOOST_TEST((w.disconnected_[1].reason == Error::closed_by_peer), static_cast<int>(w.disconnected_[1].reason));
  BOOST_TEST(b->all<client_event::Disconnected>().empty(), "no event for a client's own disconnect");

  // ---- the server shuts down ---------------------------------------------------------------
  Peer* c = w.add_client(bind);
  BOOST_REQUIRE(c != nullptr);
  const auto hc = w.connect(*c, 3, "udp-c");
  BOOST_REQUIRE_MESSAGE(hc.has_value(), "client C did not connect over UDP");
  BOOST_TEST(w.settle(*c));
  w.server().stop();
  BOOST_TEST(w.server().num_connected() == 0u);
  BOOST_TEST(w.run_until([&] { return !c->all<client_event::ClosedByServer>().empty(); }));
  const auto shut = c->all<client_event::ClosedByServer>();
  BOOST_REQUIRE_EQUAL(shut.size(), 1u);
  BOOST_TEST((shut[0].reason == CloseReason::server_shutting_down));
  BOOST_TEST(!c->client->connected());
  BOOST_REQUIRE_EQUAL(w.disconnected_.size(), 3u);
  BOOST_TEST(w.disconnected_[2].client_id == 3u);
  BOOST_TEST(w.unexpected_ == 0u);
  BOOST_TEST(w.server().stats().typed.protocol_violations == 0u);
  BOOST_TEST(w.server().stats().typed.undecodable_messages == 0u);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(udp_test)

BOOST_AUTO_TEST_CASE(ipv4_loopback) { exercise("127.0.0.1:0", "127.0.0.1"); }

BOOST_AUTO_TEST_CASE(ipv6_loopback) { exercise("[::1]:0", "::1"); }

// A server may close a client at any moment, also right after it connected, while the
// reconnect token it sent with the hello is still unacked: the client must still learn why
// (ClosedByServer with the reason), never a bare Disconnected.
BOOST_AUTO_TEST_CASE(closed_right_after_connect_still_tells_the_reason) {
  auto server_socket = open_udp("127.0.0.1:0");
  if (!server_socket) {
    BOOST_WARN_MESSAGE(false, "UDP on 127.0.0.1 unavailable here; skipped");
    return;
  }
  UdpWorld w(std::move(*server_socket), "127.0.0.1");

  // Until the client hears how its connection ended (a reason, or a bare disconnect).
  const auto ended = [](const Peer& p) {
    return !p.all<client_event::ClosedByServer>().empty() || !p.all<client_event::Disconnected>().empty();
  };

  Peer* a = w.add_client("127.0.0.1:0");
  BOOST_REQUIRE(a != nullptr);
  const auto ha = w.connect(*a, 1, "early-a");
  BOOST_REQUIRE(ha.has_value());
  w.server().disconnect(*ha, close_reason);
  BOOST_TEST(w.run_until([&] { return ended(*a); }));
  const auto closed = a->all<client_event::ClosedByServer>();
  BOOST_TEST(closed.size() == 1u, "kicked right after connect: no ClosedByServer");
  if (!closed.empty()) BOOST_TEST((closed[0].reason == close_reason));
  BOOST_TEST(a->all<client_event::Disconnected>().empty(), "kicked right after connect: a bare Disconnected instead of the reason");

  Peer* b = w.add_client("127.0.0.1:0");
  BOOST_REQUIRE(b != nullptr);
  const auto hb = w.connect(*b, 2, "early-b");
  BOOST_REQUIRE(hb.has_value());
  w.server().stop();
  BOOST_TEST(w.run_until([&] { return ended(*b); }));
  const auto shut = b->all<client_event::ClosedByServer>();
  BOOST_TEST(shut.size() == 1u, "server stopped right after connect: no ClosedByServer");
  if (!shut.empty()) BOOST_TEST((shut[0].reason == CloseReason::server_shutting_down));
  BOOST_TEST(b->all<client_event::Disconnected>().empty(), "server stopped right after connect: a bare Disconnected instead of the reason");
}

BOOST_AUTO_TEST_SUITE_END()
