#include <courier/schema/detail/bit_reader.hpp>

#include <boost/test/unit_test.hpp>

#include <array>

using courier::Error;
using courier::detail::BitReader;

BOOST_AUTO_TEST_SUITE(bit_reader_test)

BOOST_AUTO_TEST_CASE(never_reads_past_the_end_and_keeps_its_first_error) {
  const std::array<std::byte, 2> in{std::byte{0xff}, std::byte{0x01}};
  BitReader r(in);
  std::uint64_t v = 0;
  r.value(v, 9);
  BOOST_TEST(v == 0x1ffu);
  BOOST_TEST(r.remaining_bits() == 7u);
  r.value(v, 8);  // only 7 left
  BOOST_TEST(v == 0u);
  BOOST_TEST(!r.ok());
  r.fail(Error::value_out_of_range);  // a later failure does not replace the first
  r.value(v, 1);                      // and later reads are no-ops
  BOOST_TEST(v == 0u);
  BOOST_TEST(r.remaining_bits() == 7u);
  BOOST_TEST((r.finish() == Error::truncated));
}

BOOST_AUTO_TEST_CASE(bytes_are_bounded_too) {
  const std::array<std::byte, 3> in{std::byte{'a'}, std::byte{'b'}, std::byte{'c'}};
  BitReader r(in);
  char text[4]{};
  r.bytes(text, 4);
  BOOST_TEST((r.finish() == Error::truncated));
  BitReader ok(in);
  ok.bytes(text, 3);
  BOOST_TEST(std::string_view(text, 3) == "abc");
  BOOST_TEST(!ok.finish());
}

BOOST_AUTO_TEST_CASE(finish_accepts_only_zero_padding_inside_the_last_byte) {
  const std::array<std::byte, 2> in{std::byte{0x03}, std::byte{0x00}};
  std::uint64_t v = 0;
  BitReader whole_byte_left(in);
  whole_byte_left.value(v, 2);
  BOOST_TEST((whole_byte_left.finish() == Error::trailing_bytes));
  BitReader padded(in);
  padded.value(v, 9);
  BOOST_TEST(!padded.finish());
  const std::array<std::byte, 1> dirty{std::byte{0x83}};
  BitReader dirty_padding(dirty);
  dirty_padding.value(v, 2);
  BOOST_TEST((dirty_padding.finish() == Error::malformed));
}

BOOST_AUTO_TEST_SUITE_END()
