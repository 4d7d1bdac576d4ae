// Peers that race or misbehave, driven at the wire level on one manual clock:
// - a client whose hello reaches the server while the server's update that admits it is still
//   reading its socket (the hello must not be dropped: the server handles the netcode
//   connect before it reads that payload);
// - a hostile server that speaks the typed protocol just far enough to answer a request with
//   another pair's response (a protocol violation) or with an id that is not pending (a late
//   answer, counted and ignored);
// - a hostile client that sends the typed server an authenticated payload that is not a reliable
//   packet (one protocol violation, one Disconnected).

#include "game_pack.hpp"
#include "harness.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <courier/channel/connection.hpp>
#include <courier/core/little_endian.hpp>
#include <courier/netcode/netcode_client.hpp>
#include <courier/netcode/packet.hpp>
#include <courier/netcode/netcode_server.hpp>

namespace {

using namespace courier;
using namespace courier::test;
using namespace std::chrono_literals;
namespace nc = courier::netcode;

using Sim = Simulated<Loopback>;
using GameLayout = courier::detail::PackLayout<Game>;

/// The netcode packet type of a datagram as it leaves its sender (low nibble of the prefix).
std::optional<nc::PacketType> packet_type(std::span<const std::byte> d) {
  if (d.empty()) return std::nullopt;
  const std::size_t t = std::to_integer<std::uint8_t>(d[0]) & 0x0fu;
  if (t >= nc::packet_type_count) return std::nullopt;
  return static_cast<nc::PacketType>(t);
}

// ---- 1. a hello read in the server update that admits its client ---------------------------

/// Shared between the test and the server's transport: what to run when the server reads its
/// socket again after sending a keep-alive within one update.
struct Race {
  std::function<void()> on_read_after_keep_alive;  ///< run once
  bool keep_alive_sent = false;                     ///< since the owner's update began
  std::size_t fired = 0;
};

/// Simulated<Loopback> with a receive hook. The netcode server sends a keep-alive the moment it
/// admits a client (in the middle of draining its socket); a real client on a fast link answers
/// it with its typed hello before that drain is over. The hook reproduces this exactly: on the
/// server's next socket read after that keep-alive, it runs the client's update, whose hello
/// then lands in the inbox that read is about to drain.
class RaceTransport {
 public:
  RaceTransport(Sim inner, Race* race) : inner_(std::move(inner)), race_(race) {}

  std::error_code send(const Address& to, std::span<const std::byte> bytes) noexcept {
    if (race_ != nullptr && packet_type(bytes) == nc::PacketType::keep_alive) race_->keep_alive_sent = true;
    return inner_.send(to, bytes);
  }
  void flush() noexcept { inner_.flush(); }
  std::size_t receive(std::span<Datagram> slots) noexcept {
    if (race_ != nullptr && race_->keep_alive_sent && race_->fired == 0 && race_->on_read_after_keep_alive) {
      ++race_->fired;
      race_->on_read_after_keep_alive();
    }
    return inner_.receive(slots);
  }
  void update(TimePoint now) noexcept {
    if (race_ != nullptr) race_->keep_alive_sent = false;  // the netcode server's update starts here
    inner_.update(now);
  }
  [[nodiscard]] Address local_address() const noexcept { return inner_.local_address(); }

 private:
  Sim inner_;
  Race* race_;
};
static_assert(Transport<RaceTransport>);

using RacePack = WithTransport<Game, RaceTransport>;

// ---- 2. a hostile server -------------------------------------------------------------------

/// A netcode server and one Connection laid out as Game's: it says a correct server hello and
/// records the client's requests; what it answers is up to the test.
struct HostileServer {
  struct SeenRequest {
    std::uint32_t message_id = 0;
    std::uint32_t wire = 0;
  };

  nc::NetcodeServer<Sim, Game::crypto> net;
  Connection conn{GameLayout::connection_config(ServerConfig{})};
  std::optional<std::uint32_t> slot;
  std::size_t hellos = 0;         ///< client hellos answered
  std::size_t bad_packets = 0;    ///< payloads the Connection refused
  std::size_t disconnects = 0;    ///< netcode client_disconnected events
  std::vector<SeenRequest> requests;
  std::array<std::byte, max_datagram_payload_bytes> tx{};
  TimePoint now{};

  HostileServer(LoopbackNetwork& network, Address address)
      : net(Sim(Loopback(network, address), {}, 101), config(address)) {}

  static nc::NetcodeServerConfig config(Address address) {
    nc::NetcodeServerConfig c;
    c.protocol_id = Game::protocol_id;
    c.private_key = typed_test_key();
    c.public_address = address;
    c.max_clients = 4;
    return c;
  }

  void update(TimePoint t, UnixSeconds unix_now) {
    now = t;
    net.update(t, unix_now, Duration::zero());  // simulated time: no real-time budget
    while (const auto p = net.receive())
      if (conn.read_packet(now, p->bytes)) ++bad_packets;
    while (const auto e = net.poll_event()) {
      if (e->type == nc::ServerEventType::client_connected) {
        slot = e->client_index;
      } else if (e->type == nc::ServerEventType::client_disconnected) {
        ++disconnects;
        slot.reset();
      }
    }
    while (const auto m = conn.receive(GameLayout::control_channel)) {
      if (m->message_id != static_cast<std::uint32_t>(courier::detail::ControlFrame::client_hello) || !slot) continue;
      ++hellos;
      std::array<std::byte, courier::detail::control_hello_bytes> hello{};
      courier::detail::put_le(hello.data(), Game::schema_hash);
      courier::detail::put_le(hello.data() + 8, *slot);
      courier::detail::put_le(hello.data() + 12, std::uint32_t{4});
      BOOST_REQUIRE(!conn.send(GameLayout::control_channel,
                               static_cast<std::uint32_t>(courier::detail::ControlFrame::server_hello), hello)
                         .error);
    }
    while (const auto m = conn.receive(GameLayout::request_channel)) {
      BOOST_REQUIRE(m->bytes.size() >= courier::detail::request_id_bytes);
      requests.push_back({m->message_id, courier::detail::get_le<std::uint32_t>(m->bytes.data())});
    }
    conn.update(now);
    flush();
  }

  /// Queues a request-channel frame: `wire` (the request id's low 32 bits), then `message`
  /// encoded (nothing for ack / reject).
  template <class M>
  void answer(std::uint32_t message_id, std::uint32_t wire, const std::optional<M>& message) {
    std::array<std::byte, 256> frame{};
    courier::detail::put_le(frame.data(), wire);
    std::size_t n = courier::detail::request_id_bytes;
    if (message) {
      const EncodeResult e = Game::schema::encode(*message, std::span(frame).subspan(n));
      BOOST_REQUIRE(static_cast<bool>(e));
      n += e.size;
    }
    BOOST_REQUIRE(!conn.send(GameLayout::request_channel, message_id, std::span<const std::byte>(frame.data(), n)).error);
  }

  void flush() {
    if (!slot) return;
    while (const std::size_t n = conn.write_packet(now, tx)) (void)net.send(*slot, std::span(tx).first(n));
    net.flush();
  }
};

constexpr std::uint32_t response_id_of_login = 2 * GameLayout::pair_of<Login> + 1;  // Welcome
constexpr std::uint32_t response_id_of_save = 2 * GameLayout::pair_of<Save> + 1;    // Saved

/// A typed Client<Game> connected to a HostileServer, on one manual clock.
struct HostileWorld {
  LoopbackNetwork network;
  ManualClock clock;
  Address server_address = typed_addr("10.0.0.1:40000");
  HostileServer server{network, server_address};
  Client<Game> client{Sim(Loopback(network, typed_addr("10.0.1.1:50000")), {}, 7)};

  HostileWorld() {
    BOOST_REQUIRE(!client.connect(typed_token(Game::protocol_id, 11, server_address, clock.unix_now()),
                                  Login{"victim"}));
    BOOST_REQUIRE(run_until([&] { return client.connected(); }));
    BOOST_REQUIRE_EQUAL(server.hellos, 1u);
    (void)drain(client);
  }

  void tick() {
    clock.advance(10ms);
    client.update(clock);
    server.update(clock.now(), clock.unix_now());
  }
  bool run_until(const std::function<bool()>& done, int ticks = 500) {
    for (int i = 0; i < ticks && !done(); ++i) tick();
    return done();
  }

  /// Sends a Login request and ticks until the hostile server holds it.
  std::pair<RequestSignal, HostileServer::SeenRequest> request_seen_by_server() {
    const RequestSignal s = client.request(Login{"who"});
    BOOST_REQUIRE(static_cast<bool>(s));
    BOOST_REQUIRE(run_until([&] { return !server.requests.empty(); }));
    BOOST_REQUIRE_EQUAL(server.requests.size(), 1u);
    const HostileServer::SeenRequest r = server.requests.back();
    BOOST_TEST(r.message_id == 2 * GameLayout::pair_of<Login>);
    BOOST_TEST(r.wire == static_cast<std::uint32_t>(s.id));
    return {s, r};
  }
};

// ---- 3. a hostile client -------------------------------------------------------------------

/// A netcode client and one Connection laid out as Game's: says a correct hello with a connect
/// message, reads the server's control frames, and can send raw authenticated payloads.
struct HostileClient {
  nc::NetcodeClient<Sim, Game::crypto> net;
  Connection conn{GameLayout::connection_config(ClientConfig{})};
  bool hello_sent = false;
  std::size_t server_hellos = 0;
  std::vector<CloseReason> closes;
  std::array<std::byte, max_datagram_payload_bytes> tx{};

  HostileClient(LoopbackNetwork& network, Address address) : net(Sim(Loopback(network, address), {}, 202)) {}

  void update(TimePoint now) {
    net.update(now);
    while (const auto p = net.receive()) BOOST_REQUIRE(!conn.read_packet(now, p->bytes));
    while (const auto e = net.poll_event())
      if (e->type == nc::ClientEventType::connected && !hello_sent) send_hello();
    while (const auto m = conn.receive(GameLayout::control_channel)) {
      if (m->message_id == static_cast<std::uint32_t>(courier::detail::ControlFrame::server_hello)) ++server_hellos;
      if (m->message_id == static_cast<std::uint32_t>(courier::detail::ControlFrame::close) && m->bytes.size() == 2)
        closes.push_back(static_cast<CloseReason>(courier::detail::get_le<std::uint16_t>(m->bytes.data())));
    }
    while (conn.receive(GameLayout::token_channel)) {
    }
    conn.update(now);
    if (net.connected())
      while (const std::size_t n = conn.write_packet(now, tx)) (void)net.send(std::span(tx).first(n));
    net.flush();
  }

  void send_hello() {
    hello_sent = true;
    std::array<std::byte, 8 + 64> hello{};
    courier::detail::put_le(hello.data(), Game::schema_hash);
    const EncodeResult e = Game::schema::encode(Login{"mallory"}, std::span(hello).subspan(8));
    BOOST_REQUIRE(static_cast<bool>(e));
    BOOST_REQUIRE(!conn.send(GameLayout::control_channel,
                             static_cast<std::uint32_t>(courier::detail::ControlFrame::client_hello),
                             std::span<const std::byte>(hello.data(), 8 + e.size))
                       .error);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(hostile_peers_test)

// The server admits a client (netcode connect + keep-alive) and, still inside that update's
// socket drain, reads the client's hello sent in answer to the keep-alive. The hello must reach
// the new session: Connected in that same update, nothing dropped, and the client connected on
// its very next update (no resend, no time passing).
BOOST_AUTO_TEST_CASE(hello_in_the_server_update_that_admits_the_client) {
  LoopbackNetwork network;
  ManualClock clock;
  const Address server_address = typed_addr("10.0.0.1:40000");
  Race race;
  ServerConfig config;
  config.netcode.max_clients = 4;
  config.netcode.private_key = typed_test_key();
  config.netcode.public_address = server_address;
  // One datagram per socket read, so the server reads again after the connection response
  // (with a larger batch the drain would stop at the first short read; over UDP a fuller
  // socket gives the same second read).
  config.netcode.receive_batch = 1;
  Server<RacePack> server(RaceTransport(Sim(Loopback(network, server_address), {}, 1), &race), config);
  Client<RacePack> client(RaceTransport(Sim(Loopback(network, typed_addr("10.0.1.1:50000")), {}, 2), nullptr));

  std::optional<ClientState> before;
  std::optional<ClientState> after;
  race.on_read_after_keep_alive = [&] {
    before = client.state();
    client.update(clock);
    after = client.state();
  };

  BOOST_REQUIRE(!client.connect(typed_token(RacePack::protocol_id, 7, server_address, clock.unix_now()),
                                Login{"racer"}));
  for (int i = 0; i < 100 && race.fired == 0; ++i) {
    clock.advance(10ms);
    client.update(clock);
    BOOST_REQUIRE(drain(server).empty());
    server.update(clock);
  }
  // The interleaving happened: inside the admitting update the client went from waiting for its
  // keep-alive to netcode-connected, and its hello went out then.
  BOOST_REQUIRE_EQUAL(race.fired, 1u);
  BOOST_REQUIRE(before.has_value() && after.has_value());
  BOOST_TEST(*before == ClientState::connecting);
  BOOST_TEST(*after == ClientState::handshaking);
  BOOST_TEST(server.stats().netcode.connections_accepted == 1u);
  BOOST_TEST(server.stats().netcode.payloads_received == 1u);  // the hello, in that same update

  // The hello was taken, not dropped, and the client is Connected on the server already.
  BOOST_TEST(server.stats().typed.dropped_payloads == 0u);
  BOOST_TEST(server.stats().typed.protocol_violations == 0u);
  const auto server_events = drain(server);
  const auto connected = of_type<server_event::Connected<Login>>(server_events);
  BOOST_TEST(connected.size() == 1u);
  BOOST_TEST(server.num_connected() == 1u);

  // The server's hello went out in that update too: one more client update, at the same
  // instant (nothing can have been resent), connects the client.
  client.update(clock);
  BOOST_TEST(client.state() == ClientState::connected);
  const auto client_events = of_type<client_event::Connected>(drain(client));
  BOOST_TEST(client_events.size() == 1u);
  if (connected.size() != 1 || client_events.size() != 1) return;
  BOOST_TEST(connected[0].client_id == 7u);
  BOOST_TEST(std::string(connected[0].message.name.view()) == "racer");
  BOOST_TEST(client_events[0].slot == connected[0].client.slot);
  BOOST_TEST(!client_events[0].reconnected);
}

// A response whose message id belongs to another request pair than the pending request's is a
// protocol violation: the client counts it, disconnects at once (telling the server), ends the
// request as response_lost (the server had it), and delivers no Response of either type.
BOOST_AUTO_TEST_CASE(a_response_of_another_pair_is_a_protocol_violation) {
  HostileWorld w;
  const auto seen_pair = w.request_seen_by_server();
  const RequestSignal s = seen_pair.first;
  const HostileServer::SeenRequest seen = seen_pair.second;
  // Login's request, answered with Save's response (Saved) under the same request id.
  w.server.answer(response_id_of_save, seen.wire, std::optional(Saved{true}));
  w.server.flush();
  w.client.update(w.clock);

  BOOST_TEST(w.client.stats().typed.protocol_violations == 1u);
  BOOST_TEST(w.client.state() == ClientState::disconnected);
  BOOST_TEST(w.client.status(s) == RequestStatus::response_lost);
  const auto events = drain(w.client);
  BOOST_TEST(of_type<client_event::Response<Saved>>(events).empty());
  BOOST_TEST(of_type<client_event::Response<Welcome>>(events).empty());
  const auto ended = of_type<client_event::RequestEnded>(events);
  BOOST_REQUIRE_EQUAL(ended.size(), 1u);
  BOOST_TEST(ended[0].id == s.id);
  BOOST_TEST(ended[0].status == RequestStatus::response_lost);
  const auto down = of_type<client_event::Disconnected>(events);
  BOOST_REQUIRE_EQUAL(down.size(), 1u);
  BOOST_TEST(down[0].reason == Error::protocol_violation);
  BOOST_TEST(down[0].detail == nc::DisconnectReason::disconnected_by_application);
  BOOST_TEST(!down[0].reconnecting);
  BOOST_TEST(events.size() == 2u);  // RequestEnded, Disconnected: nothing else

  // The server was told at once (netcode disconnect packets), and the client stays down.
  for (int i = 0; i < 100; ++i) w.tick();
  BOOST_TEST(w.server.disconnects == 1u);
  BOOST_TEST(w.server.bad_packets == 0u);
  BOOST_TEST(w.client.state() == ClientState::disconnected);
  BOOST_TEST(drain(w.client).empty());
  BOOST_TEST(w.client.stats().typed.protocol_violations == 1u);
}

// An answer for an id that is not pending (never sent, or already answered) is a late answer:
// counted and dropped, whatever its pair; the connection and the pending request carry on.
BOOST_AUTO_TEST_CASE(an_answer_for_an_id_not_pending_is_a_late_answer) {
  HostileWorld w;
  const auto seen_pair = w.request_seen_by_server();
  const RequestSignal s = seen_pair.first;
  const HostileServer::SeenRequest seen = seen_pair.second;
  const std::uint32_t unknown = seen.wire + 1000;
  w.server.answer(response_id_of_login, unknown, std::optional(Welcome{1}));  // right pair, unknown id
  w.server.answer(response_id_of_save, unknown, std::optional(Saved{true}));  // another pair, unknown id
  w.server.answer(GameLayout::ack_id, unknown, std::optional<Welcome>());     // ack, unknown id
  w.server.flush();
  BOOST_REQUIRE(w.run_until([&] { return w.client.stats().typed.late_answers >= 3; }));
  BOOST_TEST(w.client.stats().typed.late_answers == 3u);
  BOOST_TEST(w.client.stats().typed.protocol_violations == 0u);
  BOOST_TEST(w.client.connected());
  BOOST_TEST(!is_final(w.client.status(s)));
  BOOST_TEST(drain(w.client).empty());

  // The real answer still lands.
  w.server.answer(response_id_of_login, seen.wire, std::optional(Welcome{42}));
  w.server.flush();
  BOOST_REQUIRE(w.run_until([&] { return w.client.status(s) == RequestStatus::responded; }));
  const auto responses = of_type<client_event::Response<Welcome>>(drain(w.client));
  BOOST_REQUIRE_EQUAL(responses.size(), 1u);
  BOOST_TEST(responses[0].id == s.id);
  BOOST_TEST(responses[0].response.player == 42u);

  // Answered once; a second answer for it, even of another pair, is late too (not a violation).
  w.server.answer(response_id_of_save, seen.wire, std::optional(Saved{false}));
  w.server.flush();
  BOOST_REQUIRE(w.run_until([&] { return w.client.stats().typed.late_answers >= 4; }));
  BOOST_TEST(w.client.stats().typed.late_answers == 4u);
  BOOST_TEST(w.client.stats().typed.protocol_violations == 0u);
  BOOST_TEST(w.client.connected());
  BOOST_TEST(drain(w.client).empty());
  BOOST_TEST(w.server.disconnects == 0u);
}

// A connected client sends one authenticated payload that is not a reliable packet (ack bits
// flagged without an ack). The server counts one protocol violation, reports the client's end
// once, and closes it with close(protocol violation).
BOOST_AUTO_TEST_CASE(a_malformed_payload_is_one_protocol_violation) {
  World<Game> w;
  HostileClient h(w.network, typed_addr("10.0.9.1:50000"));
  BOOST_REQUIRE(!h.net.connect(w.token(21).bytes(), w.clock.now()));
  const auto step = [&] {
    w.clock.advance(10ms);
    h.update(w.clock.now());
    w.server->update(w.clock);
  };
  for (int i = 0; i < 500 && h.server_hellos == 0; ++i) step();
  BOOST_REQUIRE_EQUAL(h.server_hellos, 1u);
  const auto connected = of_type<server_event::Connected<Login>>(drain(*w.server));
  BOOST_REQUIRE_EQUAL(connected.size(), 1u);
  BOOST_TEST(std::string(connected[0].message.name.view()) == "mallory");
  BOOST_REQUIRE_EQUAL(w.server->num_connected(), 1u);

  // flags 0x04: "ack-bits byte 0 present" without bit 7 (ack present): PROTOCOL.md Part 2 §1.1.
  const std::array<std::byte, 3> bad{std::byte{0x04}, std::byte{0x00}, std::byte{0x00}};
  BOOST_REQUIRE(!h.net.send(bad));
  h.net.flush();
  w.clock.advance(10ms);
  w.server->update(w.clock);

  BOOST_TEST(w.server->stats().typed.protocol_violations == 1u);
  auto events = drain(*w.server);
  const auto ended = of_type<server_event::Disconnected>(events);
  BOOST_REQUIRE_EQUAL(ended.size(), 1u);
  BOOST_TEST(ended[0].client == connected[0].client);
  BOOST_TEST(ended[0].client_id == 21u);
  BOOST_TEST(ended[0].reason == Error::protocol_violation);
  BOOST_TEST(events.size() == 1u);
  BOOST_TEST(w.server->num_connected() == 0u);

  // The close frame reaches the client; the session lingers, then its slot is freed. Nothing
  // more is reported or counted for it.
  for (int i = 0; i < 300; ++i) step();
  BOOST_TEST(h.closes == std::vector<CloseReason>{CloseReason::protocol_violation}, boost::test_tools::per_element());
  BOOST_TEST(!h.net.connected());
  BOOST_TEST(drain(*w.server).empty());
  BOOST_TEST(w.server->stats().typed.protocol_violations == 1u);
  BOOST_TEST(w.server->stats().connected == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
