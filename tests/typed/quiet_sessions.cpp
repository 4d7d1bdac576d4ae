// The typed server services a quiet session (nothing received, sent or under way) only in its
// periodic sweep, every 20 ms; a session that receives, is sent to or has packets in flight is
// serviced in every update. These tests count the services (ServerStats::typed.
// sessions_serviced) of a server updated faster than its sweep, and check that what a quiet
// session must still do (take a message and answer it, refresh its reconnect token) is done on
// time.

#include "game_pack.hpp"
#include "harness.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace {

using namespace courier;
using namespace courier::test;
using namespace std::chrono_literals;

constexpr std::size_t crowd = 8;

/// `crowd` connected clients, then two seconds of quiet so every session settles.
struct QuietWorld {
  World<Game> w;
  QuietWorld() {
    for (std::size_t i = 0; i < crowd; ++i) {
      auto& c = w.add_client();
      BOOST_REQUIRE(!c.connect(w.token(100 + i), Login{"q"}));
    }
    BOOST_REQUIRE(w.run_until([&] {
      for (auto& c : w.clients)
        if (!c->connected()) return false;
      return true;
    }));
    w.run_for(2s);
    (void)drain(*w.server);
  }
  std::uint64_t serviced() const { return w.server->stats().typed.sessions_serviced; }
  /// Server-only updates, `step` apart.
  void server_updates(int n, Duration step) {
    for (int i = 0; i < n; ++i) {
      w.clock.advance(step);
      w.server->update(w.clock);
    }
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(quiet_sessions_test)

BOOST_AUTO_TEST_CASE(quiet_sessions_wait_for_the_sweep) {
  QuietWorld q;
  const std::uint64_t before = q.serviced();
  q.server_updates(10, 1ms);  // 10 ms: at most one sweep
  const std::uint64_t in_10_updates = q.serviced() - before;
  BOOST_TEST(in_10_updates <= crowd);  // servicing every session each update would be 80
  q.server_updates(5, 10ms);  // 50 ms: a sweep at least every 20 ms
  BOOST_TEST(q.serviced() - before - in_10_updates >= 2 * crowd);
}

BOOST_AUTO_TEST_CASE(a_session_that_receives_is_serviced_at_once) {
  QuietWorld q;
  Client<Game>& c = *q.w.clients[3];
  BOOST_REQUIRE(static_cast<bool>(c.send(Chat{"hi"})));
  c.update(q.w.clock);
  const std::uint64_t before = q.serviced();
  q.w.clock.advance(1ms);
  q.w.server->update(q.w.clock);
  q.server_updates(4, 1ms);
  const auto events = drain(*q.w.server);
  const auto chats = of_type<server_event::Message<Chat>>(events);
  BOOST_REQUIRE_EQUAL(chats.size(), 1u);
  // Answer it; the answer goes out in this update, not at the next sweep.
  BOOST_REQUIRE(static_cast<bool>(q.w.server->send(chats[0].client, Chat{"back"})));
  q.w.server->flush();
  BOOST_TEST(q.serviced() - before < 5 * crowd);  // not every session in every update
  for (int i = 0; i < 3; ++i) {
    q.w.clock.advance(5ms);
    c.update(q.w.clock);
  }
  const auto replies = of_type<client_event::Message<Chat>>(drain(c));
  BOOST_REQUIRE_EQUAL(replies.size(), 1u);
  BOOST_TEST(std::string(replies[0].message.text.view()) == "back");
}

BOOST_AUTO_TEST_CASE(quiet_sessions_still_get_fresh_reconnect_tokens) {
  QuietWorld q;
  // Quiet sessions stay connected for a minute and keep receiving a fresh reconnect token
  // every third of its 30 s lifetime (each one a message the client's connection takes in).
  std::vector<std::uint64_t> before;
  for (auto& c : q.w.clients) before.push_back(c->stats().connection.messages_received);
  q.w.run_for(60s);
  for (std::size_t i = 0; i < crowd; ++i) {
    BOOST_TEST(q.w.clients[i]->connected());
    BOOST_TEST(q.w.clients[i]->stats().connection.messages_received - before[i] >= 5u);
  }
  BOOST_TEST(q.w.server->stats().connected == crowd);
}

BOOST_AUTO_TEST_SUITE_END()
