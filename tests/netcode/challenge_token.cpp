#include <courier/netcode/challenge_token.hpp>
#include <courier/netcode/challenge_token.hpp>
#include <courier/crypto/netcode102.hpp>

#include <boost/test/unit_test.hpp>

#include "netcode/vectors.hpp"

namespace nc = courier::netcode;
using namespace courier::test;

BOOST_AUTO_TEST_SUITE(challenge_token_test)

BOOST_AUTO_TEST_CASE(challenge_tokens_reproduce_every_vector) {
  const auto file = load_vectors("challenge_token.json");
  const auto vectors = items(file, "vectors");
  BOOST_TEST(vectors.size() == 3u);
  for (const auto& v : vectors) {
    BOOST_TEST_CONTEXT(v.get<std::string>("name")) {
      nc::ChallengeToken t{u64_at(v, "client_id"), array_at<256>(v, "user_data")};
      nc::EncryptedChallengeToken buffer{};
      nc::write_challenge_token(t, buffer);
      BOOST_TEST(to_vector(buffer) == hex_at(v, "plaintext"));
      const auto sequence = u64_at(v, "sequence");
      const auto nonce = courier::detail::packet_nonce(sequence);
      BOOST_TEST(to_vector(std::as_bytes(std::span(nonce))) == hex_at(v, "nonce"));
      BOOST_REQUIRE(nc::encrypt_challenge_token<courier::Netcode102>(buffer, sequence, key_at(v, "key")));
      BOOST_TEST(to_vector(buffer) == hex_at(v, "encrypted"));
      const auto back = nc::decrypt_challenge_token<courier::Netcode102>(buffer, sequence, key_at(v, "key"));
      BOOST_REQUIRE(back.has_value());
      BOOST_TEST(back->client_id == t.client_id);
      BOOST_TEST((back->user_data == t.user_data));
    }
  }
}

BOOST_AUTO_TEST_CASE(challenge_tokens_rejected) {
  const auto file = load_vectors("challenge_token.json");
  const auto rejected = items(file, "rejected");
  BOOST_TEST(rejected.size() == 3u);
  for (const auto& v : rejected) {
    BOOST_TEST_CONTEXT(v.get<std::string>("name")) {
      const auto enc = hex_at(v, "encrypted");
      BOOST_REQUIRE(enc.size() == nc::challenge_token_bytes);
      const auto back = nc::decrypt_challenge_token<courier::Netcode102>(
          std::span<const std::byte, 300>(enc.data(), 300), u64_at(v, "sequence"), key_at(v, "key"));
      BOOST_TEST(back.has_value() == (v.get<std::string>("decrypts") == "true"));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
