#include <courier/core/hex.hpp>

#include <boost/test/unit_test.hpp>

#include <array>

BOOST_AUTO_TEST_SUITE(hex_test)

BOOST_AUTO_TEST_CASE(parses_exact_and_prefix_lengths) {
  std::array<std::uint8_t, 4> out{};
  BOOST_TEST(courier::parse_hex("00fFa5C3", out));
  BOOST_TEST((out == std::array<std::uint8_t, 4>{0x00, 0xff, 0xa5, 0xc3}));
  BOOST_TEST(!courier::parse_hex("00ff", out));              // too short when exact
  BOOST_TEST(courier::parse_hex("0102", out, false));
  BOOST_TEST(out[0] == 1u);
  BOOST_TEST(out[1] == 2u);
}

BOOST_AUTO_TEST_CASE(rejects_anything_but_hex_digits) {
  std::array<std::uint8_t, 2> out{};
  for (const char* bad : {"0g00", " f00", "+f00", "0x00", "abc", "0011ff", "00\n0"})
    BOOST_TEST(!courier::parse_hex(bad, out), bad);
}

BOOST_AUTO_TEST_SUITE_END()
