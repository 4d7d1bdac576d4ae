#include <courier/crypto/key.hpp>
#include <courier/crypto/key.hpp>

#include <boost/test/unit_test.hpp>

#include <string>

BOOST_AUTO_TEST_SUITE(key_test)

BOOST_AUTO_TEST_CASE(random_keys_are_set_and_differ) {
  const courier::Key a = courier::Key::random();
  const courier::Key b = courier::Key::random();
  BOOST_TEST(!a.is_zero());
  BOOST_TEST((a != b));
}

BOOST_AUTO_TEST_CASE(from_hex_reads_exactly_64_digits) {
  const std::string hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1F";
  const auto k = courier::Key::from_hex(hex);
  BOOST_REQUIRE(k.has_value());
  BOOST_TEST((*k)[1] == 1u);
  BOOST_TEST((*k)[31] == 0x1fu);
  BOOST_TEST((courier::Key::from_hex(hex.substr(2)).error() == courier::Error::invalid_key));        // short
  BOOST_TEST((courier::Key::from_hex(hex + "00").error() == courier::Error::invalid_key));           // long
  BOOST_TEST((courier::Key::from_hex("zz" + hex.substr(2)).error() == courier::Error::invalid_key));  // not hex
}

BOOST_AUTO_TEST_CASE(the_all_zero_key_is_refused) {
  BOOST_TEST(courier::Key{}.is_zero());
  BOOST_TEST((courier::Key::from_hex(std::string(64, '0')).error() == courier::Error::invalid_key));
}

BOOST_AUTO_TEST_SUITE_END()
