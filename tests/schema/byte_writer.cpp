#include <courier/schema/detail/byte_writer.hpp>

#include <boost/test/unit_test.hpp>

#include <array>

using courier::detail::ByteWriter;

BOOST_AUTO_TEST_SUITE(byte_writer_test)

BOOST_AUTO_TEST_CASE(writes_little_endian_and_stops_at_the_end) {
  std::array<std::byte, 5> out{};
  ByteWriter w(out);
  std::uint64_t v = 0x0102030405060708ull;
  w.value(v, 32);
  char tail[1] = {'z'};
  w.bytes(tail, 1);
  BOOST_TEST(w.finish().size == 5u);
  BOOST_TEST(std::to_integer<int>(out[0]) == 0x08);
  BOOST_TEST(std::to_integer<int>(out[3]) == 0x05);
  BOOST_TEST(std::to_integer<int>(out[4]) == 'z');
  w.value(v, 8);
  BOOST_TEST((w.finish().error == courier::Error::buffer_too_small));
}

BOOST_AUTO_TEST_SUITE_END()
