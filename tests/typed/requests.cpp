// Every request status, reached over Simulated<Loopback> with a manual clock: Sending, Waiting,
// Responded, Acked, Rejected (explicit and by a dropped token), SendFailed (at the call and by
// a lost connection), ResponseLost, TimedOut (and the late answer that follows it).

#include "game_pack.hpp"
#include "harness.hpp"

#include <boost/test/unit_test.hpp>

namespace {

using namespace courier;
using namespace courier::test;

/// A connected client and the server's handle for it.
struct Connected {
  World<Game> w;
  Client<Game>* c = nullptr;
  ClientHandle handle;

  explicit Connected(ClientConfig config = {}) {
    c = &w.add_client({}, config);
    BOOST_REQUIRE(!c->connect(w.token(5), Login{"req"}));
    BOOST_REQUIRE(w.run_until([&] { return c->connected(); }));
    handle = of_type<server_event::Connected<Login>>(drain(*w.server)).at(0).client;
    (void)drain(*c);
  }

  /// Ticks until the server has a Request<T>; returns it.
  template <class T>
  server_event::Request<Game, T> next_request() {
    std::optional<server_event::Request<Game, T>> got;
    BOOST_REQUIRE(w.run_until([&] {
      while (!got)
        if (auto e = w.server->poll_event()) {
          if (auto* r = std::get_if<server_event::Request<Game, T>>(&*e)) got.emplace(std::move(*r));
        } else {
          break;
        }
      return got.has_value();
    }));
    return std::move(*got);
  }

  /// Ticks until the request is final; returns the client's events meanwhile.
  std::vector<Client<Game>::Event> until_final(const RequestSignal& s, Duration limit = std::chrono::seconds(10)) {
    std::vector<Client<Game>::Event> events;
    (void)w.run_until([&] {
      for (auto& e : drain(*c)) events.push_back(std::move(e));
      return is_final(c->status(s));
    }, limit);
    for (auto& e : drain(*c)) events.push_back(std::move(e));
    return events;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(requests_test)

BOOST_AUTO_TEST_CASE(sending_then_waiting_then_responded) {
  Connected t;
  const RequestSignal s = t.c->request(Login{"who"});
  BOOST_REQUIRE(s);
  BOOST_TEST(t.c->status(s) == RequestStatus::sending);
  auto req = t.next_request<Login>();
  BOOST_TEST(std::string(req.request.name.view()) == "who");
  BOOST_TEST(req.client == t.handle);
  BOOST_REQUIRE(t.w.run_until([&] { return t.c->status(s) == RequestStatus::waiting; }));
  BOOST_TEST(static_cast<bool>(t.w.server->respond(std::move(req.token), Welcome{42})));
  BOOST_TEST(!req.token.armed());
  const auto events = t.until_final(s);
  BOOST_TEST(t.c->status(s) == RequestStatus::responded);
  const auto responses = of_type<client_event::Response<Welcome>>(events);
  BOOST_REQUIRE_EQUAL(responses.size(), 1u);
  BOOST_TEST(responses[0].id == s.id);
  BOOST_TEST(responses[0].response.player == 42u);
}

BOOST_AUTO_TEST_CASE(acknowledged_without_a_response) {
  Connected t;
  const RequestSignal s = t.c->request(Save{3});
  auto req = t.next_request<Save>();
  BOOST_TEST(req.request.slot == 3u);
  (void)t.w.server->acknowledge(std::move(req.token));
  const auto ended = of_type<client_event::RequestEnded>(t.until_final(s));
  BOOST_TEST(t.c->status(s) == RequestStatus::acked);
  BOOST_REQUIRE_EQUAL(ended.size(), 1u);
  BOOST_TEST(ended[0].status == RequestStatus::acked);
}

BOOST_AUTO_TEST_CASE(rejected_explicitly_and_by_a_dropped_token) {
  Connected t;
  const RequestSignal explicit_reject = t.c->request(Save{1});
  const RequestSignal dropped = t.c->request(Save{2});
  {
    auto first = t.next_request<Save>();
    (void)t.w.server->reject(std::move(first.token));
    auto second = t.next_request<Save>();
    BOOST_TEST(second.token.armed());
  }  // `second` (and its token) destroyed unanswered here
  (void)t.until_final(explicit_reject);
  (void)t.until_final(dropped);
  BOOST_TEST(t.c->status(explicit_reject) == RequestStatus::rejected);
  BOOST_TEST(t.c->status(dropped) == RequestStatus::rejected);
}

BOOST_AUTO_TEST_CASE(a_token_outliving_its_server_does_nothing) {
  std::optional<RequestToken<Game, Save>> kept;
  {
    Connected t;
    (void)t.c->request(Save{9});
    kept.emplace(std::move(t.next_request<Save>().token));
    BOOST_TEST(kept->armed());
  }
  kept.reset();  // the server is gone: rejecting must not touch it
}

BOOST_AUTO_TEST_CASE(send_failed_at_the_call_and_by_a_lost_connection) {
  World<Game> w;
  auto& c = w.add_client();
  const RequestSignal refused = c.request(Login{"early"});
  BOOST_TEST(!refused);
  BOOST_TEST(refused.error == make_error_code(Error::not_connected));
  BOOST_TEST(c.status(refused) == RequestStatus::send_failed);

  ClientConfig no_reconnect;
  no_reconnect.reconnect.enabled = false;
  Connected t(no_reconnect);
  t.w.cut(*t.c, true);
  const RequestSignal s = t.c->request(Save{1});
  BOOST_REQUIRE(s);
  const auto events = t.until_final(s, std::chrono::seconds(20));
  BOOST_TEST(t.c->status(s) == RequestStatus::send_failed);
  const auto ended = of_type<client_event::RequestEnded>(events);
  BOOST_REQUIRE_EQUAL(ended.size(), 1u);
  BOOST_TEST(ended[0].status == RequestStatus::send_failed);
  const auto gone = of_type<client_event::Disconnected>(events);
  BOOST_REQUIRE_EQUAL(gone.size(), 1u);
  BOOST_TEST(gone[0].reason == Error::connection_timed_out);
  BOOST_TEST(!gone[0].reconnecting);
}

BOOST_AUTO_TEST_CASE(response_lost_when_the_connection_ends_while_waiting) {
  ClientConfig no_reconnect;
  no_reconnect.reconnect.enabled = false;
  Connected t(no_reconnect);
  const RequestSignal s = t.c->request(Save{1});
  auto req = t.next_request<Save>();
  BOOST_REQUIRE(t.w.run_until([&] { return t.c->status(s) == RequestStatus::waiting; }));
  t.w.cut(*t.c, true);
  (void)t.until_final(s, std::chrono::seconds(20));
  BOOST_TEST(t.c->status(s) == RequestStatus::response_lost);
  BOOST_TEST(!t.w.server->respond(std::move(req.token), Saved{true}));  // the client is gone
}

BOOST_AUTO_TEST_CASE(timed_out_and_the_late_answer_is_counted_not_delivered) {
  ClientConfig quick;
  quick.request_timeout = std::chrono::milliseconds(500);
  Connected t(quick);
  const RequestSignal s = t.c->request(Login{"slow"});
  auto req = t.next_request<Login>();
  const auto ended = of_type<client_event::RequestEnded>(t.until_final(s));
  BOOST_TEST(t.c->status(s) == RequestStatus::timed_out);
  BOOST_REQUIRE_EQUAL(ended.size(), 1u);
  BOOST_TEST(ended[0].status == RequestStatus::timed_out);
  BOOST_TEST(static_cast<bool>(t.w.server->respond(std::move(req.token), Welcome{1})));
  t.w.run_for(std::chrono::milliseconds(200));
  BOOST_TEST(of_type<client_event::Response<Welcome>>(drain(*t.c)).empty());
  BOOST_TEST(t.c->stats().typed.late_answers == 1u);
  BOOST_TEST(t.c->status(s) == RequestStatus::timed_out);
}

BOOST_AUTO_TEST_CASE(many_requests_answered_in_any_order) {
  Connected t;
  std::vector<RequestSignal> sent;
  for (std::uint32_t i = 0; i < 100; ++i) sent.push_back(t.c->request(Save{i}));
  std::vector<server_event::Request<Game, Save>> got;
  BOOST_REQUIRE(t.w.run_until([&] {
    while (auto e = t.w.server->poll_event())
      if (auto* r = std::get_if<server_event::Request<Game, Save>>(&*e)) got.push_back(std::move(*r));
    return got.size() == 100;
  }));
  for (auto it = got.rbegin(); it != got.rend(); ++it)
    (void)t.w.server->respond(std::move(it->token), Saved{it->request.slot % 2 == 0});
  std::size_t responses = 0;
  BOOST_REQUIRE(t.w.run_until([&] {
    responses += of_type<client_event::Response<Saved>>(drain(*t.c)).size();
    return responses == 100;
  }));
  for (const RequestSignal& s : sent) BOOST_TEST(t.c->status(s) == RequestStatus::responded);
}

BOOST_AUTO_TEST_CASE(an_answer_refused_by_a_full_queue_keeps_its_token_armed) {
  ServerConfig sc = World<Game>::default_server_config();
  sc.queue_capacity = 2;
  World<Game> w(sc);
  ClientConfig cc;
  cc.queue_capacity = 2;
  auto& c = w.add_client({}, cc);
  BOOST_REQUIRE(!c.connect(w.token(6), Login{"q"}));
  BOOST_REQUIRE(w.run_until([&] { return c.connected(); }));
  (void)drain(*w.server);
  std::vector<RequestSignal> sent;
  std::vector<server_event::Request<Game, Save>> held;
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 2; ++i) BOOST_REQUIRE(sent.emplace_back(c.request(Save{static_cast<std::uint32_t>(sent.size())})));
    BOOST_REQUIRE(w.run_until([&] {
      while (auto e = w.server->poll_event())
        if (auto* r = std::get_if<server_event::Request<Game, Save>>(&*e)) held.push_back(std::move(*r));
      return held.size() == sent.size();
    }));
    w.run_for(std::chrono::milliseconds(200));
  }
  std::size_t refused = 0;
  for (auto& r : held) {
    const Signal a = w.server->respond(std::move(r.token), Saved{true});
    if (a.error == make_error_code(Error::send_queue_full)) {
      ++refused;
      BOOST_TEST(r.token.armed());  // still owed: retry later
    } else {
      BOOST_TEST(!a.error);
      BOOST_TEST(!r.token.armed());
    }
  }
  BOOST_TEST(refused > 0u);
  BOOST_REQUIRE(w.run_until([&] {
    for (auto& r : held)
      if (r.token.armed()) (void)w.server->respond(std::move(r.token), Saved{true});
    (void)drain(c);
    return std::all_of(sent.begin(), sent.end(), [&](const RequestSignal& s) { return is_final(c.status(s)); });
  }));
  for (const RequestSignal& s : sent) BOOST_TEST(c.status(s) == RequestStatus::responded);
}

BOOST_AUTO_TEST_SUITE_END()
