// Channel directions: ClientToServer and ServerToClient channels carry messages one way; each
// side's events hold only what the other side may send; a client that sends on a channel only
// the server sends on breaks the protocol and is closed.

#include "harness.hpp"

#include <courier/channel/connection.hpp>
#include <courier/netcode/netcode_client.hpp>

#include <boost/test/unit_test.hpp>

namespace {

using namespace courier;
using namespace courier::test;
using namespace std::chrono_literals;

struct Input { std::int16_t dx; };
struct Snapshot { std::uint32_t tick; };
struct Say { std::uint32_t n; };
using OneWay = ChannelPack<Version<"direction-test 1">,
                           Channel<"input", UnreliableSequenced, Input, ClientToServer>,
                           Channel<"snapshots", Unreliable, Snapshot, ServerToClient>,
                           Channel<"chat", ReliableOrdered, Say>,
                           UseTransport<Simulated<Loopback>>>;
using Layout = courier::detail::PackLayout<OneWay>;

template <class Variant, class T>
constexpr bool holds = false;
template <class... Ts, class T>
constexpr bool holds<std::variant<Ts...>, T> = (std::is_same_v<Ts, T> || ...);

static_assert(!holds<ClientEvent<OneWay>, client_event::Message<Input>>, "the server never sends an Input");
static_assert(holds<ClientEvent<OneWay>, client_event::Message<Snapshot>>);
static_assert(holds<ClientEvent<OneWay>, client_event::Message<Say>>);
static_assert(!holds<ServerEvent<OneWay>, server_event::Message<Snapshot>>, "clients never send a Snapshot");
static_assert(holds<ServerEvent<OneWay>, server_event::Message<Input>>);

}  // namespace

BOOST_AUTO_TEST_SUITE(direction_test)

BOOST_AUTO_TEST_CASE(one_way_channels_carry_their_messages_their_way) {
  World<OneWay> w;
  auto& c = w.add_client();
  BOOST_REQUIRE(!c.connect(w.token(1)));
  BOOST_REQUIRE(w.run_until([&] { return c.connected(); }));
  const ClientHandle h = *w.server->find(1);
  (void)drain(*w.server);
  BOOST_TEST(static_cast<bool>(c.send(Input{-3})));
  BOOST_TEST(static_cast<bool>(c.send(Say{1})));
  BOOST_TEST(static_cast<bool>(w.server->send(h, Snapshot{77})));
  BOOST_TEST(w.server->broadcast(Say{2}) == 1u);
  w.run_for(100ms);
  const auto s = drain(*w.server);
  BOOST_REQUIRE_EQUAL(of_type<server_event::Message<Input>>(s).size(), 1u);
  BOOST_TEST(of_type<server_event::Message<Input>>(s)[0].message.dx == -3);
  BOOST_TEST(of_type<server_event::Message<Say>>(s).size() == 1u);
  const auto e = drain(c);
  BOOST_REQUIRE_EQUAL(of_type<client_event::Message<Snapshot>>(e).size(), 1u);
  BOOST_TEST(of_type<client_event::Message<Snapshot>>(e)[0].message.tick == 77u);
  BOOST_TEST(of_type<client_event::Message<Say>>(e).size() == 1u);
}

BOOST_AUTO_TEST_CASE(the_direction_is_part_of_the_schema_hash) {
  using TwoWay = ChannelPack<Version<"direction-test 1">, Channel<"input", UnreliableSequenced, Input>,
                             Channel<"snapshots", Unreliable, Snapshot>, Channel<"chat", ReliableOrdered, Say>,
                             UseTransport<Simulated<Loopback>>>;
  BOOST_TEST(TwoWay::schema_hash != OneWay::schema_hash);
}

// A wire-level client (netcode + one Connection laid out as OneWay) says a correct hello, then
// sends a Snapshot on the server-to-client channel: one protocol violation, closed with it.
BOOST_AUTO_TEST_CASE(a_client_sending_on_a_server_to_client_channel_is_closed) {
  World<OneWay> w;
  netcode::NetcodeClient<Simulated<Loopback>, OneWay::crypto> net(Simulated<Loopback>(Loopback(w.network, typed_addr("10.0.9.1:50000")), {}, 9));
  Connection conn(Layout::connection_config(ClientConfig{}));
  std::array<std::byte, max_datagram_payload_bytes> tx{};
  std::vector<CloseReason> closes;
  BOOST_REQUIRE(!net.connect(w.token(5).bytes(), w.clock.now()));
  bool hello = false, sent = false;
  for (int i = 0; i < 300 && closes.empty(); ++i) {
    w.clock.advance(10ms);
    net.update(w.clock.now());
    while (const auto p = net.receive()) BOOST_REQUIRE(!conn.read_packet(w.clock.now(), p->bytes));
    while (net.poll_event()) {
    }
    if (net.connected() && !hello) {
      std::array<std::byte, 8> h{};
      courier::detail::put_le(h.data(), OneWay::schema_hash);
      hello = !conn.send(Layout::control_channel, static_cast<std::uint32_t>(courier::detail::ControlFrame::client_hello), h).error;
    }
    while (const auto m = conn.receive(Layout::control_channel)) {
      if (m->message_id == static_cast<std::uint32_t>(courier::detail::ControlFrame::server_hello) && !sent) {
        const std::array<std::byte, 4> tick{std::byte{1}};
        sent = !conn.send(Layout::channel_of<Snapshot>, 0, tick).error;  // the wrong way
      }
      if (m->message_id == static_cast<std::uint32_t>(courier::detail::ControlFrame::close))
        closes.push_back(static_cast<CloseReason>(courier::detail::get_le<std::uint16_t>(m->bytes.data())));
    }
    conn.update(w.clock.now());
    if (net.connected())
      while (const std::size_t n = conn.write_packet(w.clock.now(), tx)) (void)net.send(std::span(tx).first(n));
    net.flush();
    w.server->update(w.clock);
    (void)drain(*w.server);
  }
  BOOST_REQUIRE(sent);
  BOOST_REQUIRE_EQUAL(closes.size(), 1u);
  BOOST_TEST(closes[0] == CloseReason::protocol_violation);
  BOOST_TEST(w.server->stats().typed.protocol_violations == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
