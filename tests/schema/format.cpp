#include <courier/schema/detail/format.hpp>

#include <boost/test/unit_test.hpp>

#include <cstdint>

using courier::detail::BitFormat;
using courier::detail::ByteFormat;

static_assert(BitFormat::width(0) == 0);
static_assert(BitFormat::width(1) == 1);
static_assert(BitFormat::width(100) == 7);  // ceil(log2(101))
static_assert(BitFormat::width(127) == 7);
static_assert(BitFormat::width(128) == 8);
static_assert(BitFormat::width(UINT64_MAX) == 64);
static_assert(ByteFormat::width(0) == 8);
static_assert(ByteFormat::width(255) == 8);
static_assert(ByteFormat::width(256) == 16);
static_assert(ByteFormat::width(65536) == 32);
static_assert(ByteFormat::width(UINT32_MAX) == 32);
static_assert(ByteFormat::width(UINT64_C(1) << 32) == 64);
static_assert(courier::detail::low_mask(0) == 0);
static_assert(courier::detail::low_mask(64) == UINT64_MAX);
static_assert(courier::detail::bytes_for_bits(9) == 2);

BOOST_AUTO_TEST_SUITE(format_test)

BOOST_AUTO_TEST_CASE(bit_width_is_the_fewest_bits_for_every_span) {
  for (unsigned bits = 1; bits < 64; ++bits) {
    const std::uint64_t top = (std::uint64_t{1} << bits) - 1;  // largest value of `bits` bits
    BOOST_TEST(BitFormat::width(top) == bits);
    BOOST_TEST(BitFormat::width(top + 1) == bits + 1);
    BOOST_TEST(ByteFormat::width(top) % 8 == 0u);
    BOOST_TEST(ByteFormat::width(top) >= bits);
  }
}

BOOST_AUTO_TEST_SUITE_END()
