// Tokens a typed program makes: make_connect_token<Pack> takes the protocol id and crypto from
// the pack (so a Plaintext pack's server opens it), the server's development shortcut
// issue_insecure_token, and the key checks.

#include "game_pack.hpp"
#include "harness.hpp"

#include <courier/crypto/plaintext.hpp>
#include <courier/typed/make_connect_token.hpp>

#include <boost/test/unit_test.hpp>

namespace {

using namespace courier;
using namespace courier::test;

using PlainGame = WithCrypto<Game, Plaintext>;

}  // namespace

BOOST_AUTO_TEST_SUITE(tokens_test)

BOOST_AUTO_TEST_CASE(make_connect_token_uses_the_packs_crypto_and_protocol_id) {
  World<PlainGame> w;
  auto& c = w.add_client();
  const auto token = make_connect_token<PlainGame>(typed_test_key(), 41, {w.server_address}, w.clock.unix_now());
  BOOST_REQUIRE(token.has_value());
  BOOST_TEST(token->protocol_id() == PlainGame::protocol_id);
  BOOST_REQUIRE(!c.connect(*token, Login{"plain"}));
  BOOST_REQUIRE(w.run_until([&] { return c.connected(); }));
  BOOST_TEST(w.server->find(41).has_value());
}

BOOST_AUTO_TEST_CASE(a_token_for_another_pack_is_refused_with_its_reason) {
  World<Game> w;
  auto& c = w.add_client();
  const auto token = make_connect_token<PlainGame>(typed_test_key(), 42, {w.server_address}, w.clock.unix_now());
  BOOST_REQUIRE(token.has_value());
  if (PlainGame::protocol_id == Game::protocol_id) return;  // the crypto is not hashed: same pack id
  BOOST_TEST((c.connect(*token, Login{"x"}) == Error::protocol_mismatch));
}

BOOST_AUTO_TEST_CASE(the_server_issues_a_development_token_for_itself) {
  World<Game> w;
  auto& c = w.add_client();
  const auto token = w.server->issue_insecure_token(43, w.clock.unix_now());
  BOOST_REQUIRE(token.has_value());
  BOOST_TEST((token->server_addresses()[0] == w.server->public_address()));
  BOOST_REQUIRE(!c.connect(*token, Login{"dev"}));
  BOOST_REQUIRE(w.run_until([&] { return c.connected(); }));
  BOOST_TEST(w.server->find(43).has_value());
}

// A token issued before the server's first update, which comes a second later (a slow start):
// the server's own token is not refused as older than its start (the restart rule).
BOOST_AUTO_TEST_CASE(a_development_token_issued_before_the_first_update_is_accepted) {
  World<Game> w;
  const auto token = w.server->issue_insecure_token(44, w.clock.unix_now());
  BOOST_REQUIRE(token.has_value());
  w.clock.advance(std::chrono::milliseconds(1500));
  auto& c = w.add_client();
  BOOST_REQUIRE(!c.connect(*token, Login{"slow start"}));
  BOOST_REQUIRE(w.run_until([&] { return c.connected(); }));
  BOOST_TEST(w.server->stats().netcode.drops[DropReason::token_predates_start] == 0u);
}

BOOST_AUTO_TEST_CASE(an_all_zero_key_is_refused_by_the_server_and_the_token_maker) {
  BOOST_TEST((make_connect_token<Game>(Key{}, 1, {typed_addr("10.0.0.1:40000")}, 0).error() == Error::invalid_key));
  LoopbackNetwork network;
  ServerConfig config;
  config.netcode.public_address = typed_addr("10.0.0.1:40000");
  BOOST_CHECK_EXCEPTION(Server<Game>(Simulated<Loopback>(Loopback(network, config.netcode.public_address), {}, 1), config),
                        std::system_error, [](const std::system_error& e) {
                          return e.code() == Error::invalid_config &&
                                 std::string(e.what()).find("private_key") != std::string::npos;
                        });
}

BOOST_AUTO_TEST_CASE(the_public_address_defaults_to_the_bound_one) {
  LoopbackNetwork network;
  ServerConfig config;
  config.netcode.private_key = typed_test_key();
  Server<Game> server(Simulated<Loopback>(Loopback(network, typed_addr("10.0.0.7:40000")), {}, 1), config);
  BOOST_TEST((server.public_address() == typed_addr("10.0.0.7:40000")));
}

BOOST_AUTO_TEST_SUITE_END()
