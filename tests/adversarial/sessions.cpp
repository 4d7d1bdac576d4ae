// Attacks on connection setup at the typed level: one connect token used from two addresses,
// a server restarted in-process many times while the same request keeps coming (no challenge
// nonce is ever reused under the token's key), and a request whose token lists another server.

#include "adversarial/wire.hpp"

#include <boost/test/unit_test.hpp>

#include <set>

#include <courier/netcode/connect_token.hpp>

namespace {

using namespace courier;
using namespace courier::adversarial;
using namespace std::chrono_literals;
namespace nc = courier::netcode;

/// The sequence of an encrypted netcode packet (its nonce under the sender's key).
std::uint64_t sequence_of(const std::vector<std::byte>& d) {
  const std::size_t n = static_cast<std::uint8_t>(d[0]) >> 4;
  std::uint64_t s = 0;
  for (std::size_t i = 0; i < n; ++i) s |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(d[1 + i])) << (8 * i);
  return s;
}

std::vector<std::byte> request_of(const Token& raw) {
  const auto t = nc::read_connect_token(raw.bytes());
  BOOST_REQUIRE(t.has_value());
  std::vector<std::byte> out(nc::connection_request_bytes);
  const nc::ConnectionRequestPacket req{t->protocol_id, t->expire_timestamp, t->nonce, t->private_data};
  BOOST_REQUIRE(nc::write_connection_request(req, out) == nc::connection_request_bytes);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sessions_test)

BOOST_AUTO_TEST_CASE(one_token_from_two_addresses_connects_once) {
  Arena arena;
  auto& first = arena.add_client();
  auto& second = arena.add_client();
  const Token t = arena.token(5);
  // Both start at once (a stolen token raced against its owner): exactly one gets in.
  BOOST_REQUIRE(!first.connect(t, Login{"owner"}));
  BOOST_REQUIRE(!second.connect(t, Login{"thief"}));
  arena.run_for(6s);
  BOOST_TEST(arena.server->num_connected() == 1u);
  BOOST_TEST(first.connected() != second.connected());
  // The winner leaves; the token stays consumed for the loser and for anyone else.
  Client<Pack>& winner = first.connected() ? first : second;
  Client<Pack>& loser = first.connected() ? second : first;
  winner.disconnect();
  arena.run_for(500ms);
  BOOST_TEST(arena.server->num_connected() == 0u);
  BOOST_REQUIRE(!loser.connect(t, Login{"again"}));
  arena.run_for(6s);
  BOOST_TEST(!loser.connected());
  BOOST_TEST(arena.server->num_connected() == 0u);
}

BOOST_AUTO_TEST_CASE(a_restarted_server_never_reuses_a_challenge_nonce_for_a_retried_token) {
  Arena arena;
  const Token t = arena.token(9, 300);
  const auto request = request_of(t);
  const Address from = typed_addr("10.2.0.1:5000");
  std::set<std::uint64_t> sequences;
  std::size_t challenges = 0;
  for (int restart = 0; restart < 200; ++restart) {
    arena.log.sent.clear();
    for (int k = 0; k < 3; ++k) {  // retried a few times within one run of the server, at the
      arena.inject(from, request);  // client's pace (the per-source request budget allows 20/s)
      arena.run_for(100ms);
    }
    for (const auto& s : arena.log.sent) {
      if (!(s.to == from) || type_of(s.bytes) != nc::PacketType::connection_challenge) continue;
      const std::uint64_t seq = sequence_of(s.bytes);
      BOOST_TEST((seq >> 63) == 1u);  // the global space, disjoint from per-client sequences
      BOOST_TEST(sequences.insert(seq).second, "challenge sequence " << seq << " reused");
      ++challenges;
    }
    arena.server->stop();
    arena.server->start();
  }
  BOOST_TEST(challenges == 600u);
}

BOOST_AUTO_TEST_CASE(a_token_for_another_server_is_refused_silently) {
  Arena arena;
  const Token t = typed_token(Pack::protocol_id, 3, typed_addr("10.9.9.9:40000"), arena.clock.unix_now());
  const Address from = typed_addr("10.2.0.2:5000");
  for (int k = 0; k < 5; ++k) {
    arena.inject(from, request_of(t));
    arena.tick();
  }
  BOOST_TEST(arena.log.bytes_to(from) == 0u);
  BOOST_TEST(arena.server->num_connected() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
