// Typed messages over Simulated<Loopback>: connect with a connect message, every channel mode
// both ways, broadcast, delivery signals, events in order.

#include "harness.hpp"

#include <courier/schema/bounded_string.hpp>

#include <boost/test/unit_test.hpp>

namespace {

using namespace courier;
using namespace courier::test;

struct Chat { BoundedString<64> text; };
struct Move { std::int16_t x, y; };
struct Ping { std::uint32_t n; };
struct Note { std::uint32_t n; };
struct Login { BoundedString<16> name; };
struct Welcome { std::uint32_t player; };

using Game = ChannelPack<
    Version<"typed-test 1">,
    Channel<"chat", ReliableOrdered, Chat>,
    Channel<"notes", ReliableUnordered, Note>,
    Channel<"input", UnreliableSequenced, Move>,
    Channel<"ping", Unreliable, Ping>,
    Request<Login, Welcome>,
    ConnectMessage<Login>,
    UseTransport<Simulated<Loopback>>>;

}  // namespace

BOOST_AUTO_TEST_SUITE(messaging_test)

BOOST_AUTO_TEST_CASE(connects_and_exchanges_every_channel_mode) {
  World<Game> w;
  auto& c = w.add_client();
  BOOST_TEST(!c.connect(w.token(7), Login{"ada"}, w.clock.now()));
  BOOST_REQUIRE(w.run_until([&] { return c.connected(); }));
  auto server_events = drain(*w.server);
  const auto connected = of_type<server_event::Connected<Login>>(server_events);
  BOOST_REQUIRE_EQUAL(connected.size(), 1u);
  BOOST_TEST(connected[0].client_id == 7u);
  BOOST_TEST(std::string(connected[0].message.name.view()) == "ada");
  const ClientHandle h = connected[0].client;

  BOOST_TEST(static_cast<bool>(c.send(Chat{"hello"})));
  BOOST_TEST(static_cast<bool>(c.send(Note{3})));
  BOOST_TEST(static_cast<bool>(c.send(Move{1, 2})));
  BOOST_TEST(static_cast<bool>(c.send(Ping{9})));
  BOOST_TEST(static_cast<bool>(w.server->send(h, Chat{"welcome"})));
  w.run_for(std::chrono::milliseconds(100));
  server_events = drain(*w.server);
  BOOST_TEST(of_type<server_event::Message<Chat>>(server_events).size() == 1u);
  BOOST_TEST(of_type<server_event::Message<Note>>(server_events).size() == 1u);
  BOOST_TEST(of_type<server_event::Message<Move>>(server_events).size() == 1u);
  BOOST_TEST(of_type<server_event::Message<Ping>>(server_events).size() == 1u);
  const auto client_events = drain(c);
  BOOST_TEST(of_type<client_event::Connected>(client_events).size() == 1u);
  const auto chats = of_type<client_event::Message<Chat>>(client_events);
  BOOST_REQUIRE_EQUAL(chats.size(), 1u);
  BOOST_TEST(std::string(chats[0].message.text.view()) == "welcome");
}

BOOST_AUTO_TEST_SUITE_END()
