// Who may connect: a client of another pack is refused with a reason it can show (locally,
// from the token's protocol id; or by the server, from the hello's schema hash when both
// packs force the same protocol id), a duplicate client id is refused, a full server denies.

#include "game_pack.hpp"
#include "harness.hpp"

#include <boost/test/unit_test.hpp>

namespace {

using namespace courier;
using namespace courier::test;

// Game with one more field in one message: another wire format, so another protocol.
struct Chat2 { BoundedString<64> text; std::uint8_t colour; };
using OtherGame = ChannelPack<
    Version<"typed-test 1">,
    Channel<"chat", ReliableOrdered, Chat2>,
    Channel<"notes", ReliableUnordered, Note>,
    Channel<"input", UnreliableSequenced, Move>,
    Channel<"ping", Unreliable, Ping>,
    Request<Login, Welcome>,
    Request<Save, Saved>,
    ConnectMessage<Login>,
    UseTransport<Simulated<Loopback>>>;

// Both forced onto one protocol id: netcode lets them in, the hello does not.
inline constexpr std::uint64_t shared_id = 0xC0FFEE;
using Forced = ChannelPack<Version<"forced 1">, Channel<"chat", ReliableOrdered, Chat>,
                           ProtocolId<shared_id>, UseTransport<Simulated<Loopback>>>;
using ForcedOther = ChannelPack<Version<"forced 2">, Channel<"chat", ReliableOrdered, Chat>,
                                ProtocolId<shared_id>, UseTransport<Simulated<Loopback>>>;

}  // namespace

BOOST_AUTO_TEST_SUITE(identity_test)

BOOST_AUTO_TEST_CASE(a_token_for_another_pack_is_refused_at_connect_with_its_reason) {
  static_assert(OtherGame::protocol_id != Game::protocol_id);
  World<Game> w;
  Client<OtherGame> stranger(Simulated<Loopback>(Loopback(w.network, typed_addr("10.0.9.9:50000")), {}, 99));
  const Token token = w.token(31);  // issued for the server's pack
  const std::error_code ec = stranger.connect(token, Login{"x"});
  BOOST_TEST(ec == make_error_code(Error::protocol_mismatch));
  BOOST_TEST(std::string(ec.message()) == "protocol mismatch");
  const auto events = drain(stranger);
  BOOST_REQUIRE_EQUAL(events.size(), 1u);
  const auto* d = std::get_if<client_event::Disconnected>(&events[0]);
  BOOST_REQUIRE(d != nullptr);
  BOOST_TEST(d->reason == Error::protocol_mismatch);
  BOOST_TEST(stranger.state() == ClientState::disconnected);
}

BOOST_AUTO_TEST_CASE(a_forced_protocol_id_with_another_schema_is_closed_by_the_server) {
  static_assert(Forced::protocol_id == ForcedOther::protocol_id);
  static_assert(Forced::schema_hash != ForcedOther::schema_hash);
  World<WithTransport<Forced, Simulated<Loopback>>> w;
  Client<ForcedOther> other(Simulated<Loopback>(Loopback(w.network, typed_addr("10.0.9.8:50000")), {}, 98));
  BOOST_REQUIRE(!other.connect(w.token(32)));
  std::vector<Client<ForcedOther>::Event> log;
  BOOST_REQUIRE(w.run_until([&] {
    other.update(w.clock);
    for (auto& e : drain(other)) log.push_back(std::move(e));
    return !of_type<client_event::ClosedByServer>(log).empty();
  }));
  BOOST_TEST(of_type<client_event::ClosedByServer>(log)[0].reason == CloseReason::pack_mismatch);
  BOOST_TEST(of_type<client_event::Connected>(log).empty());
  BOOST_TEST(w.server->stats().typed.pack_mismatches == 1u);
  BOOST_TEST(w.server->num_connected() == 0u);
  BOOST_TEST(drain(*w.server).empty());  // the server's application never saw it
}

BOOST_AUTO_TEST_CASE(a_duplicate_client_id_is_refused_and_the_first_stays) {
  World<Game> w;
  auto& first = w.add_client();
  BOOST_REQUIRE(!first.connect(w.token(33), Login{"one"}));
  BOOST_REQUIRE(w.run_until([&] { return first.connected(); }));
  auto& second = w.add_client();
  BOOST_REQUIRE(!second.connect(w.token(33), Login{"two"}));  // a fresh token, same id
  std::vector<Client<Game>::Event> log;
  BOOST_REQUIRE(w.run_until([&] {
    for (auto& e : drain(second)) log.push_back(std::move(e));
    return second.state() == ClientState::disconnected;
  }, std::chrono::seconds(15)));
  const auto refused = of_type<client_event::Disconnected>(log);
  BOOST_REQUIRE_EQUAL(refused.size(), 1u);
  BOOST_TEST(refused[0].reason == Error::connection_timed_out);
  BOOST_TEST(refused[0].detail == netcode::DisconnectReason::connection_request_timed_out);
  BOOST_TEST(first.connected());
  BOOST_TEST(w.server->num_connected() == 1u);
}

BOOST_AUTO_TEST_CASE(a_full_server_denies_with_connection_denied) {
  ServerConfig sc = World<Game>::default_server_config();
  sc.netcode.max_clients = 1;
  World<Game> w(sc);
  auto& first = w.add_client();
  BOOST_REQUIRE(!first.connect(w.token(34), Login{"one"}));
  BOOST_REQUIRE(w.run_until([&] { return first.connected(); }));
  auto& second = w.add_client();
  BOOST_REQUIRE(!second.connect(w.token(35), Login{"two"}));
  std::vector<Client<Game>::Event> log;
  BOOST_REQUIRE(w.run_until([&] {
    for (auto& e : drain(second)) log.push_back(std::move(e));
    return second.state() == ClientState::disconnected;
  }));
  BOOST_TEST(of_type<client_event::Disconnected>(log).at(0).reason == Error::connection_denied);
}

BOOST_AUTO_TEST_CASE(a_stopped_server_tells_its_clients_why) {
  World<Game> w;
  auto& c = w.add_client();
  BOOST_REQUIRE(!c.connect(w.token(36), Login{"x"}));
  BOOST_REQUIRE(w.run_until([&] { return c.connected(); }));
  w.server->stop();
  std::vector<Client<Game>::Event> log;
  BOOST_REQUIRE(w.run_until([&] {
    for (auto& e : drain(c)) log.push_back(std::move(e));
    return !of_type<client_event::ClosedByServer>(log).empty();
  }));
  BOOST_TEST(of_type<client_event::ClosedByServer>(log)[0].reason == CloseReason::server_shutting_down);
  const auto gone = of_type<server_event::Disconnected>(drain(*w.server));
  BOOST_TEST(gone.size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
