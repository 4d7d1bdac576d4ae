// The typed layer's lifecycle with the rate controller on at both ends (ClientConfig::rate,
// ServerConfig::rate) and a low maximum rate: requests are answered, a cut link reconnects with
// its connect message resent, and the reconnected connection paces and delivers again. The
// controller must not hold back the handshake, the hello, the reconnect token or the close
// frames. Over Simulated<Loopback> with a manual clock: deterministic.

#include "typed/game_pack.hpp"
#include "typed/harness.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace {

using namespace courier;
using namespace courier::test;
using namespace std::chrono_literals;

RateConfig slow_rate() {
  RateConfig r;
  r.enabled = true;
  r.min_bytes_per_second = 8 * 1024;
  r.initial_bytes_per_second = 16 * 1024;
  r.max_bytes_per_second = 24 * 1024;
  return r;
}

ServerConfig paced_server() {
  ServerConfig c = World<Game>::default_server_config();
  c.rate = slow_rate();
  return c;
}

ClientConfig paced_client() {
  ClientConfig c;
  c.rate = slow_rate();
  c.request_timeout = 30s;
  return c;
}

/// Answers every Save request with Saved{slot is even}; counts Chat messages.
struct Responder {
  std::size_t chats = 0;
  void serve(Server<Game>& s) {
    for (auto& e : drain(s)) {
      if (auto* r = std::get_if<server_event::Request<Game, Save>>(&e))
        (void)s.respond(std::move(r->token), Saved{r->request.slot % 2 == 0});
      if (std::get_if<server_event::Message<Chat>>(&e)) ++chats;
    }
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(typed_rate_on_test)

BOOST_AUTO_TEST_CASE(requests_are_answered_through_a_paced_connection) {
  World<Game> w(paced_server());
  auto& c = w.add_client({}, paced_client());
  BOOST_REQUIRE(!c.connect(w.token(31), Login{"paced"}));
  BOOST_REQUIRE(w.run_until([&] { return c.connected(); }));
  // 200 requests and 200 chats of ~70 bytes, written as fast as the client takes them: more
  // than 24 KiB/s lets out, so the chat queue fills and the application sees backpressure.
  std::vector<RequestSignal> sent;
  std::uint32_t chats_sent = 0, refused = 0;
  const auto feed = [&] {
    while (sent.size() < 200) {
      const RequestSignal q = c.request(Save{static_cast<std::uint32_t>(sent.size())});
      if (q.error == Error::send_queue_full) {
        ++refused;
        break;
      }
      BOOST_REQUIRE(q);
      sent.push_back(q);
    }
    while (chats_sent < 200) {
      const Signal s = c.send(Chat{"a chat line that takes some room on the wire"});
      if (s.error == Error::send_queue_full) {
        ++refused;
        return;
      }
      BOOST_REQUIRE(!s.error);
      ++chats_sent;
    }
  };
  Responder r;
  std::size_t responses = 0;
  BOOST_REQUIRE(w.run_until(
      [&] {
        feed();
        r.serve(*w.server);
        responses += of_type<client_event::Response<Saved>>(drain(c)).size();
        return responses == 200 && r.chats == 200;
      },
      30s));
  for (const RequestSignal& s : sent) BOOST_TEST(c.status(s) == RequestStatus::responded);
  BOOST_TEST(refused > 0u, "the queue filled: backpressure, not loss");
  const auto rate = c.stats().connection.rate;
  BOOST_TEST(rate.paced_waits > 0u, "the controller did hold packets back");
  BOOST_TEST(rate.pacing_bytes_per_second <= 24.0 * 1024);
}

BOOST_AUTO_TEST_CASE(a_cut_link_reconnects_and_the_new_connection_is_paced_too) {
  World<Game> w(paced_server());
  auto& c = w.add_client({}, paced_client());
  BOOST_REQUIRE(!c.connect(w.token(32), Login{"again"}));
  BOOST_REQUIRE(w.run_until([&] { return c.connected() && c.has_reconnect_token(); }));
  std::vector<Server<Game>::Event> server_log;
  for (auto& e : drain(*w.server)) server_log.push_back(std::move(e));

  w.cut(c, true);
  BOOST_REQUIRE(w.run_until([&] { return c.state() == ClientState::reconnecting; }, 10s));
  w.cut(c, false);
  BOOST_REQUIRE(w.run_until([&] { return c.connected(); }, 30s));
  for (auto& e : drain(*w.server)) server_log.push_back(std::move(e));
  const auto connects = of_type<server_event::Connected<Login>>(server_log);
  BOOST_REQUIRE_EQUAL(connects.size(), 2u);
  BOOST_TEST(std::string(connects[1].message.name.view()) == "again");

  // The new connection has its own controller, on, within the same bounds.
  std::vector<RequestSignal> sent;
  for (std::uint32_t i = 0; i < 60; ++i) {  // within the chat queue: no backpressure here
    sent.push_back(c.request(Save{i}));
    BOOST_REQUIRE(c.send(Chat{"after the reconnect, a line with some room"}));
  }
  Responder r;
  std::size_t responses = 0;
  BOOST_REQUIRE(w.run_until(
      [&] {
        r.serve(*w.server);
        responses += of_type<client_event::Response<Saved>>(drain(c)).size();
        return responses == 60 && r.chats == 60;
      },
      30s));
  for (const RequestSignal& s : sent) BOOST_TEST(c.status(s) == RequestStatus::responded);
  const auto rate = c.stats().connection.rate;
  BOOST_TEST_MESSAGE("after the reconnect: phase " << static_cast<int>(rate.phase) << " pacing "
                     << rate.pacing_bytes_per_second << " waits " << rate.paced_waits);
  BOOST_TEST((rate.phase != RatePhase::off), "the new connection has its controller");
  BOOST_TEST(rate.pacing_bytes_per_second <= 24.0 * 1024);
}

BOOST_AUTO_TEST_SUITE_END()
