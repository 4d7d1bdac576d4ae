#include <courier/schema/detail/bit_writer.hpp>

#include <courier/schema/detail/bit_reader.hpp>

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <array>
#include <vector>

#include <courier/core/random.hpp>

namespace bdata = boost::unit_test::data;
using courier::detail::BitReader;
using courier::detail::BitWriter;

BOOST_AUTO_TEST_SUITE(bit_writer_test)

BOOST_AUTO_TEST_CASE(writes_least_significant_bit_first_and_pads_with_zeros) {
  std::array<std::byte, 8> out{};
  BitWriter w(out);
  std::uint64_t a = 0b101, b = 0xffff, c = 1;
  w.value(a, 3);
  w.value(b, 16);
  w.value(c, 1);
  const auto result = w.finish();
  BOOST_TEST(result.size == 3u);  // 20 bits
  // bits: 101, then 16 ones, then 1 -> 0b11111101, 0xff, 0b00001111
  BOOST_TEST(std::to_integer<int>(out[0]) == 0xfd);
  BOOST_TEST(std::to_integer<int>(out[1]) == 0xff);
  BOOST_TEST(std::to_integer<int>(out[2]) == 0x0f);
}

BOOST_AUTO_TEST_CASE(refuses_to_write_past_the_buffer_and_keeps_that_error) {
  std::array<std::byte, 2> out{};
  BitWriter w(out);
  std::uint64_t v = 0x1234;
  w.value(v, 12);
  w.value(v, 5);  // 17 > 16 bits
  BOOST_TEST(!w.ok());
  w.value(v, 1);  // would fit, but the writer has failed
  const auto result = w.finish();
  BOOST_TEST((result.error == courier::Error::buffer_too_small));
  BOOST_TEST(result.size == 0u);
}

BOOST_DATA_TEST_CASE(random_widths_round_trip_through_the_reader, bdata::xrange(50), seed) {
  courier::Rng rng(seed);
  std::vector<std::pair<std::uint64_t, unsigned>> values;
  std::size_t total = 0;
  for (int i = 0; i < 200; ++i) {
    const auto bits = static_cast<unsigned>(rng.below(65));
    values.emplace_back(rng.next() & courier::detail::low_mask(bits), bits);
    total += bits;
  }
  std::vector<std::byte> out(courier::detail::bytes_for_bits(total));
  BitWriter w(out);
  for (auto [value, bits] : values) w.value(value, bits);
  BOOST_TEST_REQUIRE(w.finish().size == out.size());
  BitReader r(out);
  for (auto [value, bits] : values) {
    std::uint64_t back = 0;
    r.value(back, bits);
    BOOST_TEST_REQUIRE(back == value);
  }
  BOOST_TEST(!r.finish());
}

BOOST_AUTO_TEST_SUITE_END()
