#include <courier/netcode/make_connect_token.hpp>
#include <courier/netcode/make_connect_token.hpp>
#include <courier/crypto/netcode102.hpp>

#include <boost/test/unit_test.hpp>

#include <cstring>

#include "netcode/vectors.hpp"

namespace nc = courier::netcode;
using namespace courier::test;

namespace {

/// Returns the vectors' nonce, then c2s key, then s2c key: the order the reference draws them.
struct ScriptedRandom : courier::Netcode102 {
  static inline int call = 0;
  static void random_bytes(std::span<std::byte> out) noexcept {
    const std::uint8_t first[] = {0xa0, 0x40, 0x60};
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::byte>(first[call % 3] + i);
    ++call;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(make_connect_token_test)

BOOST_AUTO_TEST_CASE(generate_matches_the_reference_generator) {
  const auto file = load_vectors("connect_token_public.json");
  int checked = 0;
  for (const auto& v : items(file, "vectors")) {
    if (v.get<std::string>("matches_netcode_generate_connect_token") != "true") continue;
    BOOST_TEST_CONTEXT(v.get<std::string>("name")) {
      courier::ConnectTokenParams p;
      p.protocol_id = u64_at(v, "protocol_id");
      p.client_id = u64_at(file, "fixed_inputs.client_id");
      p.public_addresses = addresses_at(v, "server_addresses");
      p.options.internal_addresses = addresses_at(v, "internal_server_addresses");
      p.now = u64_at(v, "create_timestamp");
      const auto expire = u64_at(v, "expire_timestamp");
      p.options.expire_seconds = expire == ~0ull ? -1 : static_cast<std::int64_t>(expire - p.now);
      p.options.timeout_seconds = v.get<std::int32_t>("timeout_seconds");
      p.private_key = key_at(file, "fixed_inputs.private_key");
      p.options.user_data = array_at<256>(file, "fixed_inputs.user_data");
      ScriptedRandom::call = 0;
      const auto token = nc::make_connect_token<ScriptedRandom>(p);
      BOOST_REQUIRE(token.has_value());
      BOOST_TEST(to_vector(token->bytes()) == hex_at(v, "token"));
      ++checked;
    }
  }
  BOOST_TEST(checked == 4);
}

BOOST_AUTO_TEST_CASE(generated_tokens_round_trip_and_decrypt) {
  courier::ConnectTokenParams p;
  p.protocol_id = 9;
  p.client_id = 77;
  p.public_addresses = {*courier::Address::parse("127.0.0.1:40000"), *courier::Address::parse("[::1]:40001")};
  p.now = 1'700'000'000;
  p.private_key[0] = 1;
  const auto made = nc::make_connect_token<courier::Netcode102>(p);
  BOOST_REQUIRE(made.has_value());
  BOOST_TEST(made->protocol_id() == 9u);
  const auto token = nc::read_connect_token(made->bytes());
  BOOST_REQUIRE(token.has_value());
  BOOST_TEST(token->expire_timestamp == p.now + 30);
  std::array<std::byte, nc::private_token_plaintext_bytes> plain{};
  BOOST_REQUIRE(nc::decrypt_private_token<courier::Netcode102>(token->private_data, 9, token->expire_timestamp,
                                                               token->nonce, p.private_key, plain));
  const auto priv = nc::read_private_token(plain);
  BOOST_REQUIRE(priv.has_value());
  BOOST_TEST(priv->client_id == 77u);
  BOOST_TEST((priv->client_to_server_key == token->client_to_server_key));
  BOOST_TEST((priv->server_addresses == token->server_addresses));
}

BOOST_AUTO_TEST_CASE(bad_parameters_are_refused) {
  courier::ConnectTokenParams p;
  p.public_addresses = {*courier::Address::parse("127.0.0.1:40000")};
  // The all-zero key is what an unset field holds.
  BOOST_TEST((nc::make_connect_token<courier::Netcode102>(p).error() == courier::Error::invalid_key));
  p.private_key[0] = 1;
  p.public_addresses.clear();
  BOOST_TEST((nc::make_connect_token<courier::Netcode102>(p).error() == courier::Error::invalid_config));  // no address
  p.public_addresses = {*courier::Address::parse("127.0.0.1:40000")};
  p.options.internal_addresses = {*courier::Address::parse("127.0.0.1:1"), *courier::Address::parse("127.0.0.1:2")};
  BOOST_TEST((nc::make_connect_token<courier::Netcode102>(p).error() == courier::Error::invalid_config));  // count mismatch
  p.options.internal_addresses.clear();
  p.options.expire_seconds = -1;
  const auto forever = nc::make_connect_token<courier::Netcode102>(p);
  BOOST_REQUIRE(forever.has_value());
  BOOST_TEST(nc::read_connect_token(forever->bytes())->expire_timestamp == ~0ull);
}

BOOST_AUTO_TEST_CASE(an_unchecked_error_throws_with_its_reason) {
  const courier::Result<courier::ConnectToken> none = courier::Error::invalid_key;
  BOOST_CHECK_EXCEPTION((void)none.value(), std::system_error,
                        [](const std::system_error& e) { return e.code() == courier::Error::invalid_key; });
}

BOOST_AUTO_TEST_CASE(connect_token_from_bytes_checks_the_public_part) {
  std::array<std::byte, nc::connect_token_bytes> garbage{};
  BOOST_TEST((courier::ConnectToken::from_bytes(garbage).error() == courier::Error::invalid_connect_token));
  BOOST_TEST((courier::ConnectToken::from_bytes(std::span(garbage).first(100)).error() ==
              courier::Error::invalid_connect_token));
  courier::ConnectTokenParams p;
  p.public_addresses = {*courier::Address::parse("127.0.0.1:40000")};
  p.private_key[3] = 7;
  const auto made = nc::make_connect_token<courier::Netcode102>(p).value();
  const auto back = courier::ConnectToken::from_bytes(made.bytes());
  BOOST_REQUIRE(back.has_value());
  BOOST_TEST((*back == made));
}

BOOST_AUTO_TEST_SUITE_END()
