// Typed messages over Simulated<Loopback>: connect with a connect message, every channel mode
// both ways, broadcast, delivery signals, events in order.

#include "game_pack.hpp"
#include "harness.hpp"

#include <boost/test/unit_test.hpp>

#include <iterator>

namespace {

using namespace courier;
using namespace courier::test;

}  // namespace

BOOST_AUTO_TEST_SUITE(messaging_test)

BOOST_AUTO_TEST_CASE(connects_and_exchanges_every_channel_mode) {
  World<Game> w;
  auto& c = w.add_client();
  BOOST_TEST(!c.connect(w.token(7), Login{"ada"}));
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

BOOST_AUTO_TEST_CASE(signals_track_delivery_and_refusals) {
  World<Game> w;
  auto& c = w.add_client();
  const Signal early = c.send(Chat{"too early"});
  BOOST_TEST(early.error == make_error_code(Error::not_connected));
  BOOST_TEST(c.status(early).state == DeliveryState::dropped);
  BOOST_TEST(c.status(early).reason == Error::not_connected);
  BOOST_REQUIRE(!c.connect(w.token(1), Login{"bo"}));
  BOOST_REQUIRE(w.run_until([&] { return c.connected(); }));

  const Signal reliable = c.send(Chat{"x"});
  BOOST_TEST(c.status(reliable).state == DeliveryState::queued);
  BOOST_REQUIRE(w.run_until([&] { return c.status(reliable).state == DeliveryState::acked; }));

  // An unreliable message on a dead link ends Lost, never Acked.
  SimulatedConfig dead;
  dead.loss = 1.0;
  c.transport().set_config(dead);
  const Signal lost = c.send(Ping{1});
  BOOST_REQUIRE(w.run_until([&] { return c.status(lost).is_final(); }, std::chrono::seconds(3)));
  BOOST_TEST(c.status(lost).state == DeliveryState::lost);
  c.transport().set_config(SimulatedConfig{});

  // Backpressure: the channel's queue (256) refuses the rest at the call.
  std::size_t refused = 0;
  for (int i = 0; i < 400; ++i)
    if (c.send(Chat{"burst"}).error == make_error_code(Error::send_queue_full)) ++refused;
  BOOST_TEST(refused > 0u);
  BOOST_TEST(refused < 400u);
}

BOOST_AUTO_TEST_CASE(reliable_ordered_survives_a_lossy_link_in_order) {
  SimulatedConfig lossy;
  lossy.loss = 0.2;
  lossy.latency = std::chrono::milliseconds(30);
  lossy.jitter = std::chrono::milliseconds(10);
  World<Game> w(World<Game>::default_server_config(), lossy);
  auto& c = w.add_client(lossy);
  BOOST_REQUIRE(!c.connect(w.token(2), Login{"cy"}));
  BOOST_REQUIRE(w.run_until([&] { return c.connected(); }));
  (void)drain(*w.server);
  std::vector<std::uint32_t> got;
  std::uint32_t next = 0;
  BOOST_REQUIRE(w.run_until([&] {
    while (next < 2000 && c.send(Note{next})) ++next;  // reliable-unordered channel: all arrive
    (void)c.send(Chat{BoundedString<64>(std::to_string(next))});
    for (auto& e : drain(*w.server))
      if (auto* m = std::get_if<server_event::Message<Note>>(&e)) got.push_back(m->message.n);
    return got.size() == 2000;
  }, std::chrono::seconds(120)));
  std::sort(got.begin(), got.end());
  for (std::uint32_t i = 0; i < 2000; ++i) BOOST_REQUIRE_EQUAL(got[i], i);
}

BOOST_AUTO_TEST_CASE(chat_arrives_in_order_under_loss) {
  SimulatedConfig lossy;
  lossy.loss = 0.2;
  lossy.latency = std::chrono::milliseconds(20);
  World<Game> w(World<Game>::default_server_config(), lossy);
  auto& c = w.add_client(lossy);
  BOOST_REQUIRE(!c.connect(w.token(3), Login{"di"}));
  BOOST_REQUIRE(w.run_until([&] { return c.connected(); }));
  const auto h = of_type<server_event::Connected<Login>>(drain(*w.server)).at(0).client;
  int sent = 0;
  std::vector<std::string> got;
  BOOST_REQUIRE(w.run_until([&] {
    while (sent < 1000 && w.server->send(h, Chat{BoundedString<64>(std::to_string(sent))})) ++sent;
    for (auto& e : drain(c))
      if (auto* m = std::get_if<client_event::Message<Chat>>(&e)) got.emplace_back(m->message.text.view());
    return got.size() == 1000;
  }, std::chrono::seconds(120)));
  for (int i = 0; i < 1000; ++i) BOOST_REQUIRE_EQUAL(got[static_cast<std::size_t>(i)], std::to_string(i));
}

BOOST_AUTO_TEST_CASE(broadcast_reaches_every_connected_client) {
  World<Game> w;
  for (std::uint64_t id = 10; id < 13; ++id) {
    auto& c = w.add_client();
    BOOST_REQUIRE(!c.connect(w.token(id), Login{"x"}));
  }
  BOOST_REQUIRE(w.run_until([&] { return w.server->num_connected() == 3; }));
  BOOST_TEST(w.server->broadcast(Chat{"all"}) == 3u);
  w.run_for(std::chrono::milliseconds(100));
  for (auto& c : w.clients) BOOST_TEST(of_type<client_event::Message<Chat>>(drain(*c)).size() == 1u);
  BOOST_TEST(std::ranges::distance(w.server->clients()) == 3);
  for (const ClientInfo& info : w.server->clients()) {
    BOOST_TEST(!info.local);
    BOOST_TEST(info.client_id >= 10u);
    // Per client: the broadcast Chat, the server hello and a reconnect token went out on it.
    BOOST_TEST(info.stats.messages_sent >= 3u);
    BOOST_TEST(info.stats.packets_written >= 1u);
  }
}

BOOST_AUTO_TEST_CASE(messages_received_before_a_disconnect_are_delivered_first) {
  World<Game> w;
  auto& c = w.add_client();
  BOOST_REQUIRE(!c.connect(w.token(4), Login{"ed"}));
  BOOST_REQUIRE(w.run_until([&] { return c.connected(); }));
  (void)drain(*w.server);
  BOOST_REQUIRE(c.send(Chat{"last words"}));
  c.flush();
  c.disconnect();
  w.tick();
  const auto events = drain(*w.server);
  BOOST_REQUIRE_EQUAL(events.size(), 2u);
  BOOST_TEST(std::holds_alternative<server_event::Message<Chat>>(events[0]));
  const auto* gone = std::get_if<server_event::Disconnected>(&events[1]);
  BOOST_REQUIRE(gone != nullptr);
  BOOST_TEST(gone->client_id == 4u);
  BOOST_TEST(gone->reason == Error::closed_by_peer);
  BOOST_TEST(w.server->num_connected() == 0u);
}

// What a handler sends while the server drains its events goes out when the drain ends, in the
// same tick: over a link without latency the client reads the answer at its very next update,
// with no server update (and no flush call) in between.
BOOST_AUTO_TEST_CASE(replies_sent_while_draining_go_out_in_the_same_tick) {
  World<Game> w;
  auto& c = w.add_client();
  BOOST_REQUIRE(!c.connect(w.token(8), Login{"fay"}));
  BOOST_REQUIRE(w.run_until([&] { return c.connected(); }));
  (void)drain(*w.server);
  (void)drain(c);
  BOOST_REQUIRE(c.request(Save{3}));
  w.tick();  // the client sends the request, the server reads it
  std::size_t answered = 0;
  while (auto e = w.server->poll_event())
    match(*e, [&](Server<Game>::Request<Save>& r) { answered += w.server->respond(std::move(r.token), Saved{true}) ? 1 : 0; },
          [](auto&) {});
  BOOST_REQUIRE_EQUAL(answered, 1u);
  c.update(w.clock);  // same time, no server update since the drain
  const auto events = drain(c);
  BOOST_TEST(of_type<Client<Game>::Response<Saved>>(events).size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
