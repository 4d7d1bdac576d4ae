#include <courier/crypto/crypto.hpp>
#include <courier/crypto/crypto.hpp>
#include <courier/crypto/aes256gcm.hpp>
#include <courier/crypto/netcode102.hpp>
#include <courier/crypto/plaintext.hpp>

#include <boost/mpl/list.hpp>
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstring>
#include <vector>

static_assert(courier::Crypto<courier::Netcode102>);
static_assert(courier::Crypto<courier::Aes256Gcm>);
static_assert(courier::Crypto<courier::Plaintext>);

namespace {

using Policies = boost::mpl::list<courier::Netcode102, courier::Aes256Gcm, courier::Plaintext>;

courier::Key key_of(std::uint8_t first) {
  courier::Key k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(first + i);
  return k;
}

std::vector<std::byte> message(std::size_t n) {
  std::vector<std::byte> m(n);
  for (std::size_t i = 0; i < n; ++i) m[i] = static_cast<std::byte>(i * 7);
  return m;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(crypto_test)

BOOST_AUTO_TEST_CASE(packet_nonce_puts_the_zeros_first) {
  const auto n = courier::detail::packet_nonce(0x0102030405060708ull);
  const std::array<std::uint8_t, 12> expected = {0, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1};
  BOOST_TEST((n == expected));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(seal_open_round_trip_and_tamper_detection, C, Policies) {
  if (!C::available()) {
    BOOST_TEST_MESSAGE(C::name << " unavailable on this machine: skipped");
    return;
  }
  const auto key = key_of(1);
  const auto plain = message(100);
  const std::array<std::byte, 3> ad = {std::byte{1}, std::byte{2}, std::byte{3}};
  std::vector<std::byte> sealed(plain.size() + C::mac_bytes);
  BOOST_REQUIRE(C::seal(plain, ad, 42, key, sealed));
  std::vector<std::byte> opened(plain.size());
  BOOST_REQUIRE(C::open(sealed, ad, 42, key, opened));
  BOOST_TEST((opened == plain));
  BOOST_TEST(!C::open(sealed, ad, 43, key, opened));                 // other nonce
  BOOST_TEST(!C::open(sealed, ad, 42, key_of(2), opened));           // other key
  BOOST_TEST(!C::open(sealed, std::span(ad).first(2), 42, key, opened));  // other AD
  for (std::size_t bit = 0; bit < sealed.size() * 8; ++bit) {
    auto bad = sealed;
    bad[bit / 8] ^= static_cast<std::byte>(1u << (bit % 8));
    if (C::open(bad, ad, 42, key, opened)) BOOST_ERROR("flipped bit " << bit << " opened");
  }
  BOOST_TEST(!C::open(std::span(sealed).first(C::mac_bytes - 1), ad, 42, key, opened));  // shorter than a tag
  BOOST_TEST(!C::seal(plain, ad, 42, key, std::span(sealed).first(plain.size())));  // output too small
}

BOOST_AUTO_TEST_CASE_TEMPLATE(token_seal_open_round_trip, C, Policies) {
  if (!C::available()) return;
  const auto key = key_of(9);
  courier::TokenNonce nonce{};
  nonce[23] = 1;
  auto buffer = message(64);
  const auto plain = buffer;
  buffer.resize(buffer.size() + C::mac_bytes);
  // in place: the plaintext prefix of the buffer becomes the ciphertext
  BOOST_REQUIRE(C::seal_token(std::span(buffer).first(plain.size()), {}, nonce, key, buffer));
  std::vector<std::byte> opened(plain.size());
  BOOST_REQUIRE(C::open_token(buffer, {}, nonce, key, opened));
  BOOST_TEST((opened == plain));
  nonce[0] ^= 1;
  BOOST_TEST(!C::open_token(buffer, {}, nonce, key, opened));
}

BOOST_AUTO_TEST_CASE(real_policies_encrypt_and_plaintext_does_not) {
  const auto key = key_of(5);
  const auto plain = message(32);
  std::vector<std::byte> sealed(plain.size() + 16);
  BOOST_REQUIRE(courier::Netcode102::seal(plain, {}, 1, key, sealed));
  BOOST_TEST(std::memcmp(sealed.data(), plain.data(), plain.size()) != 0);
  BOOST_REQUIRE(courier::Plaintext::seal(plain, {}, 1, key, sealed));
  BOOST_TEST(std::memcmp(sealed.data(), plain.data(), plain.size()) == 0);
}

BOOST_AUTO_TEST_CASE(partially_overlapping_buffers_are_refused) {
  const auto key = key_of(5);
  std::vector<std::byte> buffer(100);
  BOOST_TEST(!courier::Netcode102::seal(std::span(buffer).first(40), {}, 1, key, std::span(buffer).subspan(1, 56)));
}

BOOST_AUTO_TEST_CASE(random_bytes_are_not_constant) {
  std::array<std::byte, 32> a{}, b{};
  courier::Netcode102::random_bytes(a);
  courier::Netcode102::random_bytes(b);
  BOOST_TEST((a != b));
}

BOOST_AUTO_TEST_CASE(aes_availability_matches_libsodium) {
  BOOST_TEST(courier::Aes256Gcm::available() == (crypto_aead_aes256gcm_is_available() == 1));
  BOOST_TEST(courier::Netcode102::available());
  BOOST_TEST(courier::Plaintext::available());
}

BOOST_AUTO_TEST_SUITE_END()
