#include <courier/netcode/connect_token.hpp>
#include <courier/netcode/connect_token.hpp>
#include <courier/crypto/netcode102.hpp>

#include <boost/test/unit_test.hpp>

#include "netcode/vectors.hpp"

namespace nc = courier::netcode;
using namespace courier::test;

namespace {

std::vector<std::byte> bytes_of(std::span<const std::byte> s) { return to_vector(s); }

nc::ConnectTokenPrivate private_from(const Json& v) {
  nc::ConnectTokenPrivate t;
  t.client_id = u64_at(v, "client_id");
  t.timeout_seconds = v.get<std::int32_t>("timeout_seconds");
  t.server_addresses = addresses_at(v, "server_addresses");
  t.client_to_server_key = key_at(v, "client_to_server_key");
  t.server_to_client_key = key_at(v, "server_to_client_key");
  t.user_data = array_at<256>(v, "user_data");
  return t;
}

nc::ConnectTokenContents public_from(const Json& v) {
  nc::ConnectTokenContents t;
  t.protocol_id = u64_at(v, "protocol_id");
  t.create_timestamp = u64_at(v, "create_timestamp");
  t.expire_timestamp = u64_at(v, "expire_timestamp");
  t.nonce = array_at<24>(v, "nonce");
  const auto enc = hex_at(v, "encrypted_private_token");
  std::copy(enc.begin(), enc.end(), t.private_data.begin());
  t.timeout_seconds = v.get<std::int32_t>("timeout_seconds");
  t.server_addresses = addresses_at(v, "server_addresses");
  t.client_to_server_key = key_at(v, "client_to_server_key");
  t.server_to_client_key = key_at(v, "server_to_client_key");
  return t;
}

bool same_private(const nc::ConnectTokenPrivate& a, const nc::ConnectTokenPrivate& b) {
  return a.client_id == b.client_id && a.timeout_seconds == b.timeout_seconds &&
         a.server_addresses == b.server_addresses && a.client_to_server_key == b.client_to_server_key &&
         a.server_to_client_key == b.server_to_client_key && a.user_data == b.user_data;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(connect_token_test)

BOOST_AUTO_TEST_CASE(address_records_match_the_vectors) {
  const auto file = load_vectors("connect_token_private.json");
  int checked = 0;
  for (const auto& v : items(file, "vectors")) {
    for (const auto& a : items(v, "server_addresses")) {
      nc::AddressList one{*courier::Address::parse(a.get<std::string>("address"))};
      std::array<std::byte, 32> buf{};
      courier::detail::ByteWriter w(buf);
      nc::detail::write_address_list(w, one);
      BOOST_REQUIRE(w.ok());
      const auto record = hex_at(a, "record");
      BOOST_TEST(bytes_of(std::span(buf).subspan(4, w.position() - 4)) == record);
      BOOST_TEST(static_cast<int>(one[0].family()) == a.get<int>("type"));
      ++checked;
    }
  }
  BOOST_TEST(checked == 6);  // 2 + 3 + 1 addresses
}

BOOST_AUTO_TEST_CASE(private_tokens_reproduce_every_vector) {
  const auto file = load_vectors("connect_token_private.json");
  const auto vectors = items(file, "vectors");
  BOOST_TEST(vectors.size() == 3u);
  for (const auto& v : vectors) {
    BOOST_TEST_CONTEXT(v.get<std::string>("name")) {
      const auto token = private_from(v);
      nc::EncryptedPrivateToken buffer{};
      BOOST_REQUIRE(nc::write_private_token(token, buffer));
      BOOST_TEST(bytes_of(buffer) == hex_at(v, "plaintext"));
      const auto protocol = u64_at(v, "protocol_id");
      const auto expire = u64_at(v, "expire_timestamp");
      BOOST_TEST(bytes_of(nc::private_token_associated_data(protocol, expire)) == hex_at(v, "associated_data"));
      const auto nonce = array_at<24>(v, "nonce");
      const auto key = key_at(v, "key");
      BOOST_REQUIRE(nc::encrypt_private_token<courier::Netcode102>(buffer, protocol, expire, nonce, key));
      BOOST_TEST(bytes_of(buffer) == hex_at(v, "encrypted"));
      const auto tag = nc::token_tag(buffer);
      BOOST_TEST(bytes_of(tag) == hex_at(v, "tag"));

      std::array<std::byte, nc::private_token_plaintext_bytes> plain{};
      BOOST_REQUIRE(nc::decrypt_private_token<courier::Netcode102>(buffer, protocol, expire, nonce, key, plain));
      const auto parsed = nc::read_private_token(plain);
      BOOST_REQUIRE(parsed.has_value());
      BOOST_TEST(same_private(*parsed, token));
      BOOST_TEST(!nc::decrypt_private_token<courier::Netcode102>(buffer, protocol, expire + 1, nonce, key, plain));
      BOOST_TEST(!nc::decrypt_private_token<courier::Netcode102>(buffer, protocol, expire,
                                                                 nonce, key_at(file, "fixed_inputs.wrong_key"), plain));
    }
  }
}

BOOST_AUTO_TEST_CASE(private_tokens_rejected_by_the_parser) {
  const auto file = load_vectors("connect_token_private.json");
  const auto rejected = items(file, "rejected");
  BOOST_TEST(rejected.size() == 4u);
  for (const auto& v : rejected) {
    BOOST_TEST_CONTEXT(v.get<std::string>("name")) {
      const auto enc = hex_at(v, "encrypted");
      BOOST_REQUIRE(enc.size() == nc::connect_token_private_bytes);
      std::array<std::byte, nc::private_token_plaintext_bytes> plain{};
      const bool decrypts = nc::decrypt_private_token<courier::Netcode102>(
          std::span<const std::byte, 1024>(enc.data(), 1024), u64_at(file, "fixed_inputs.protocol_id"),
          u64_at(file, "fixed_inputs.expire_timestamp"), array_at<24>(v, "nonce"), key_at(v, "key"), plain);
      BOOST_TEST(decrypts == (v.get<std::string>("decrypts") == "true"));
      BOOST_TEST(nc::read_private_token(plain).has_value() ==
                 (v.get<std::string>("private_token_reader_accepts") == "true"));
    }
  }
}

BOOST_AUTO_TEST_CASE(public_tokens_reproduce_every_vector) {
  const auto file = load_vectors("connect_token_public.json");
  const auto vectors = items(file, "vectors");
  BOOST_TEST(vectors.size() == 4u);
  for (const auto& v : vectors) {
    BOOST_TEST_CONTEXT(v.get<std::string>("name")) {
      const auto token = public_from(v);
      std::array<std::byte, nc::connect_token_bytes> out{};
      BOOST_REQUIRE(nc::write_connect_token(token, out));
      BOOST_TEST(bytes_of(out) == hex_at(v, "token"));
      const auto parsed = nc::read_connect_token(out);
      BOOST_REQUIRE(parsed.has_value());
      BOOST_TEST(parsed->protocol_id == token.protocol_id);
      BOOST_TEST(parsed->create_timestamp == token.create_timestamp);
      BOOST_TEST(parsed->expire_timestamp == token.expire_timestamp);
      BOOST_TEST((parsed->nonce == token.nonce));
      BOOST_TEST((parsed->private_data == token.private_data));
      BOOST_TEST(parsed->timeout_seconds == token.timeout_seconds);
      BOOST_TEST((parsed->server_addresses == token.server_addresses));
      BOOST_TEST((parsed->client_to_server_key == token.client_to_server_key));
      BOOST_TEST((parsed->server_to_client_key == token.server_to_client_key));
    }
  }
}

BOOST_AUTO_TEST_CASE(public_tokens_rejected_by_the_reader) {
  const auto file = load_vectors("connect_token_public.json");
  const auto rejected = items(file, "rejected");
  BOOST_TEST(rejected.size() == 7u);
  for (const auto& v : rejected) {
    BOOST_TEST_CONTEXT(v.get<std::string>("name")) {
      BOOST_TEST(v.get<std::string>("accepted") == "false");
      BOOST_TEST(!nc::read_connect_token(hex_at(v, "token")).has_value());
    }
  }
}

BOOST_AUTO_TEST_CASE(worst_case_private_token_fits_and_33_addresses_do_not_exist) {
  nc::ConnectTokenPrivate t;
  for (int i = 0; i < 40; ++i)
    t.server_addresses.push_back(courier::Address::ipv6({0x2001, 0xdb8, 0, 0, 0, 0, 0, static_cast<std::uint16_t>(i)}, 40000));
  BOOST_TEST(t.server_addresses.size() == 32u);  // the list holds at most 32
  nc::EncryptedPrivateToken buffer{};
  BOOST_TEST(nc::write_private_token(t, buffer));  // 944 bytes <= 1008
  std::array<std::byte, nc::private_token_plaintext_bytes> plain{};
  std::copy_n(buffer.begin(), plain.size(), plain.begin());
  const auto parsed = nc::read_private_token(plain);
  BOOST_REQUIRE(parsed.has_value());
  BOOST_TEST((parsed->server_addresses == t.server_addresses));
}

BOOST_AUTO_TEST_CASE(tokens_without_addresses_are_not_written) {
  nc::ConnectTokenPrivate t;
  nc::EncryptedPrivateToken buffer{};
  BOOST_TEST(!nc::write_private_token(t, buffer));
  t.server_addresses.push_back(courier::Address{});  // the none address has no record
  BOOST_TEST(!nc::write_private_token(t, buffer));
}

BOOST_AUTO_TEST_SUITE_END()
