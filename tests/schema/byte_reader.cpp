#include <courier/schema/detail/byte_reader.hpp>

#include <boost/test/unit_test.hpp>

#include <array>

using courier::Error;
using courier::detail::ByteReader;

BOOST_AUTO_TEST_SUITE(byte_reader_test)

BOOST_AUTO_TEST_CASE(reads_little_endian_and_keeps_its_first_error) {
  const std::array<std::byte, 3> in{std::byte{0x34}, std::byte{0x12}, std::byte{0xff}};
  ByteReader r(in);
  std::uint64_t v = 0;
  r.value(v, 16);
  BOOST_TEST(v == 0x1234u);
  r.value(v, 16);  // one byte left
  BOOST_TEST(v == 0u);
  r.fail(Error::length_out_of_range);
  char c = 0;
  r.bytes(&c, 1);  // a no-op after the error, though the byte is there
  BOOST_TEST(c == 0);
  BOOST_TEST((r.finish() == Error::truncated));
}

BOOST_AUTO_TEST_CASE(finish_demands_every_byte_consumed) {
  const std::array<std::byte, 2> in{};
  ByteReader r(in);
  std::uint64_t v = 0;
  r.value(v, 8);
  BOOST_TEST(r.remaining_bits() == 8u);
  BOOST_TEST((r.finish() == Error::trailing_bytes));
  r.value(v, 8);
  BOOST_TEST(!r.finish());
}

BOOST_AUTO_TEST_SUITE_END()
