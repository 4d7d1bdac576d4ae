// Automatic reconnection with the server's single-use reconnect tokens: a cut link comes back
// with the connect message resent, a permanent cut ends in IsDead once the token window or
// the attempts run out, consumed tokens stay refused, a kicked client is not let back in.

#include "game_pack.hpp"
#include "harness.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>  // BOOST_TEST prints durations with <chrono>'s operator<<

namespace {

using namespace courier;
using namespace courier::test;

template <class E, class Side>
std::vector<E> take(Side& side, std::vector<typename Side::Event>& log) {
  for (auto& e : drain(side)) log.push_back(std::move(e));
  return of_type<E>(log);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(reconnect_test)

BOOST_AUTO_TEST_CASE(a_cut_link_comes_back_and_the_connect_message_is_resent) {
  World<Game> w;
  auto& c = w.add_client();
  BOOST_REQUIRE(!c.connect(w.token(21), Login{"resume"}));
  BOOST_REQUIRE(w.run_until([&] { return c.connected() && c.has_reconnect_token(); }));
  std::vector<Server<Game>::Event> server_log;
  std::vector<Client<Game>::Event> client_log;
  BOOST_REQUIRE_EQUAL(take<server_event::Connected<Login>>(*w.server, server_log).size(), 1u);

  w.cut(c, true);
  BOOST_REQUIRE(w.run_until([&] { return c.state() == ClientState::reconnecting; }, std::chrono::seconds(10)));
  const auto lost = take<client_event::Disconnected>(c, client_log);
  BOOST_REQUIRE_EQUAL(lost.size(), 1u);
  BOOST_TEST(lost[0].reason == Error::connection_timed_out);
  BOOST_TEST(lost[0].reconnecting);
  w.cut(c, false);

  BOOST_REQUIRE(w.run_until([&] { return c.connected(); }, std::chrono::seconds(30)));
  const auto back = take<client_event::Connected>(c, client_log);
  BOOST_REQUIRE_EQUAL(back.size(), 2u);
  BOOST_TEST(back[1].reconnected);
  BOOST_TEST(of_type<client_event::IsDead>(client_log).empty());

  const auto connects = take<server_event::Connected<Login>>(*w.server, server_log);
  BOOST_REQUIRE_EQUAL(connects.size(), 2u);
  BOOST_TEST(connects[1].client_id == 21u);
  BOOST_TEST(std::string(connects[1].message.name.view()) == "resume");
  BOOST_TEST(of_type<server_event::Disconnected>(server_log).size() == 1u);

  // And the new connection works.
  BOOST_REQUIRE(c.send(Chat{"back"}));
  BOOST_REQUIRE(w.run_until([&] { return !take<server_event::Message<Chat>>(*w.server, server_log).empty(); }));
}

BOOST_AUTO_TEST_CASE(is_dead_after_the_token_window_with_the_pending_requests) {
  ServerConfig sc = World<Game>::default_server_config();
  sc.reconnect_token_lifetime = std::chrono::seconds(8);
  sc.netcode.max_token_lifetime = std::chrono::seconds(8);  // the restart rule must let 8 s tokens in
  World<Game> w(sc);
  ClientConfig cc;
  cc.reconnect.max_attempts = 100;  // the token window, not the attempts, ends it
  cc.request_timeout = std::chrono::seconds(60);
  auto& c = w.add_client({}, cc);
  BOOST_REQUIRE(!c.connect(w.token(22), Login{"gone"}));
  BOOST_REQUIRE(w.run_until([&] { return c.connected() && c.has_reconnect_token(); }));
  const RequestSignal pending = c.request(Save{1});
  BOOST_REQUIRE(pending);
  w.run_for(std::chrono::milliseconds(100));
  w.cut(c, true);
  std::vector<Client<Game>::Event> log;
  BOOST_REQUIRE(w.run_until([&] { return !take<client_event::IsDead>(c, log).empty(); }, std::chrono::seconds(60)));
  const auto dead = of_type<client_event::IsDead>(log);
  BOOST_REQUIRE_EQUAL(dead.size(), 1u);
  BOOST_REQUIRE_EQUAL(dead[0].pending.size(), 1u);
  BOOST_TEST(dead[0].pending[0] == pending.id);
  BOOST_TEST(c.state() == ClientState::disconnected);
  BOOST_TEST(!c.has_reconnect_token());
  BOOST_TEST(is_final(c.status(pending)));
  // It took the token window (8 s of lifetime), not the first failure.
  BOOST_TEST(w.clock.now().time_since_epoch() > std::chrono::seconds(8));
}

BOOST_AUTO_TEST_CASE(a_reconnect_that_dies_before_the_hello_is_a_failed_attempt) {
  World<Game> w;
  ClientConfig cc;
  cc.request_timeout = std::chrono::seconds(120);
  cc.hello_timeout = std::chrono::milliseconds(300);
  auto& c = w.add_client({}, cc);
  BOOST_REQUIRE(!c.connect(w.token(28), Login{"a"}));
  BOOST_REQUIRE(w.run_until([&] { return c.connected() && c.has_reconnect_token(); }));
  const RequestSignal x = c.request(Save{1});
  w.run_for(std::chrono::milliseconds(200));
  std::vector<Client<Game>::Event> log;
  w.cut(c, true);
  BOOST_REQUIRE(w.run_until([&] { return c.state() == ClientState::reconnecting; }, std::chrono::seconds(10)));
  w.cut(c, false);
  // The server's packets now take 1 s: netcode still connects (keep-alives) but the hello comes too late.
  SimulatedConfig slow;
  slow.latency = std::chrono::seconds(1);
  w.server->transport().set_config(slow);
  BOOST_REQUIRE(w.run_until([&] { return !take<client_event::IsDead>(c, log).empty(); }, std::chrono::seconds(120)));
  BOOST_TEST(of_type<client_event::Disconnected>(log).size() == 1u);  // one loss, then failed attempts
  BOOST_TEST(of_type<client_event::Connected>(log).size() == 1u);
  const auto dead = of_type<client_event::IsDead>(log).at(0);
  BOOST_REQUIRE_EQUAL(dead.pending.size(), 1u);
  BOOST_TEST(dead.pending[0] == x.id);
}

BOOST_AUTO_TEST_CASE(is_dead_after_the_last_attempt) {
  World<Game> w;
  ClientConfig cc;
  cc.reconnect.max_attempts = 2;
  auto& c = w.add_client({}, cc);
  BOOST_REQUIRE(!c.connect(w.token(23), Login{"x"}));
  BOOST_REQUIRE(w.run_until([&] { return c.connected() && c.has_reconnect_token(); }));
  w.cut(c, true);
  std::vector<Client<Game>::Event> log;
  BOOST_REQUIRE(w.run_until([&] { return !take<client_event::IsDead>(c, log).empty(); }, std::chrono::seconds(60)));
  BOOST_TEST(of_type<client_event::IsDead>(log)[0].reason == Error::connection_timed_out);
  BOOST_TEST(of_type<client_event::IsDead>(log)[0].pending.empty());
}

BOOST_AUTO_TEST_CASE(a_consumed_connect_token_stays_refused) {
  World<Game> w;
  const Token token = w.token(24);
  auto& first = w.add_client();
  BOOST_REQUIRE(!first.connect(token, Login{"a"}));
  BOOST_REQUIRE(w.run_until([&] { return first.connected(); }));
  // The same token from a second address, while the first is connected ...
  auto& thief = w.add_client();
  BOOST_REQUIRE(!thief.connect(token, Login{"b"}));
  w.run_for(std::chrono::seconds(7));
  BOOST_TEST(!thief.connected());
  // ... and from the first client again after it left.
  first.disconnect();
  w.run_for(std::chrono::milliseconds(100));
  BOOST_REQUIRE(!first.connect(token, Login{"a"}));
  w.run_for(std::chrono::seconds(7));
  BOOST_TEST(!first.connected());
  BOOST_TEST(w.server->num_connected() == 0u);
}

BOOST_AUTO_TEST_CASE(a_kicked_client_is_closed_with_its_reason_and_does_not_come_back) {
  World<Game> w;
  auto& c = w.add_client();
  BOOST_REQUIRE(!c.connect(w.token(25), Login{"k"}));
  BOOST_REQUIRE(w.run_until([&] { return c.connected() && c.has_reconnect_token(); }));
  const auto h = *w.server->find(25);
  w.server->disconnect(h, static_cast<CloseReason>(1234));
  std::vector<Client<Game>::Event> log;
  BOOST_REQUIRE(w.run_until([&] { return !take<client_event::ClosedByServer>(c, log).empty(); }));
  BOOST_TEST(of_type<client_event::ClosedByServer>(log)[0].reason == static_cast<CloseReason>(1234));
  BOOST_TEST(std::string(describe(static_cast<CloseReason>(1234))) == "application-defined");
  w.run_for(std::chrono::seconds(3));
  BOOST_TEST(c.state() == ClientState::disconnected);
  BOOST_TEST(of_type<client_event::Disconnected>(log).empty());
  const auto gone = of_type<server_event::Disconnected>(drain(*w.server));
  BOOST_REQUIRE_EQUAL(gone.size(), 1u);
  BOOST_TEST(gone[0].reason == Error::disconnected_by_application);
}

BOOST_AUTO_TEST_CASE(a_lost_close_frame_is_resent_while_the_connection_lingers) {
  World<Game> w;
  auto& c = w.add_client();
  BOOST_REQUIRE(!c.connect(w.token(27), Login{"k"}));
  BOOST_REQUIRE(w.run_until([&] { return c.connected() && c.has_reconnect_token(); }));
  SimulatedConfig lossy;
  lossy.loss = 1.0;
  w.server->transport().set_config(lossy);
  w.server->disconnect(*w.server->find(27), CloseReason::kicked);
  w.tick();
  w.server->transport().set_config(SimulatedConfig{});
  std::vector<Client<Game>::Event> log;
  BOOST_REQUIRE(w.run_until([&] { return !take<client_event::ClosedByServer>(c, log).empty(); }, std::chrono::seconds(2)));
  BOOST_TEST(of_type<client_event::Disconnected>(log).empty());
  BOOST_REQUIRE(w.run_until([&] { return w.server->num_connected() == 0 && w.server->stats().netcode.connections_accepted == 1; }));
}

BOOST_AUTO_TEST_CASE(a_kick_whose_close_frame_is_lost_closes_the_reconnect_too) {
  World<Game> w;
  auto& c = w.add_client();
  BOOST_REQUIRE(!c.connect(w.token(26), Login{"k"}));
  BOOST_REQUIRE(w.run_until([&] { return c.connected() && c.has_reconnect_token(); }));
  SimulatedConfig dead;
  dead.loss = 1.0;
  w.server->transport().set_config(dead);  // the close frame and disconnect packets vanish
  w.server->disconnect(*w.server->find(26), CloseReason::kicked);
  w.run_for(std::chrono::milliseconds(1500));  // past the close linger: the server gives up on it
  w.server->transport().set_config(SimulatedConfig{});
  std::vector<Client<Game>::Event> log;
  BOOST_REQUIRE(w.run_until([&] { return !take<client_event::ClosedByServer>(c, log).empty(); }, std::chrono::seconds(30)));
  BOOST_TEST(of_type<client_event::ClosedByServer>(log)[0].reason == CloseReason::kicked);
  const auto lost = of_type<client_event::Disconnected>(log);
  BOOST_REQUIRE_EQUAL(lost.size(), 1u);  // the timeout, then the reconnect met the kick
  BOOST_TEST(lost[0].reconnecting);
  w.run_for(std::chrono::seconds(2));
  BOOST_TEST(c.state() == ClientState::disconnected);
}

BOOST_AUTO_TEST_SUITE_END()
