#include <courier/schema/byte_aligned.hpp>

#include <boost/test/unit_test.hpp>

#include <array>

#include "schema/messages.hpp"

using courier::ByteAligned;
using courier::Error;

namespace {

struct Known {  // 1 + 1 + 1 bytes
  std::uint8_t a;
  courier::Ranged<int, 0, 100> r;
  bool b;
};
struct Wide {
  courier::Ranged<int, -1, 255> two;                 // span 256: 2 bytes
  courier::Ranged<std::uint32_t, 0, 65536> four;     // 4 bytes
  courier::Ranged<std::uint64_t, 0, 1ull << 32> eight;  // 8 bytes
  courier::Quantized<0, 10, 9> q;                    // 2 bytes
};
struct Text {
  courier::BoundedString<300> text;  // 2-byte length
};

static_assert(courier::Schema<ByteAligned>);
static_assert(ByteAligned::max_bytes<Known> == 3);
static_assert(ByteAligned::max_bytes<Wide> == 16);
static_assert(ByteAligned::max_bytes<Text> == 302);
static_assert(ByteAligned::max_bytes<courier::BoundedVector<Known, 4>> == 13);
static_assert(ByteAligned::max_bytes<std::optional<std::uint32_t>> == 5);
static_assert(ByteAligned::max_bytes<schema_samples::Shot> == 2 + 2 + 1 + 1 + 4);

template <std::size_t N>
std::span<const std::byte> bytes(const std::array<std::byte, N>& a) {
  return a;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(byte_aligned_test)

BOOST_AUTO_TEST_CASE(values_are_little_endian_bytes) {
  struct Mixed {
    std::uint32_t word;
    std::int16_t half;
    courier::Ranged<int, -1, 255> two;
  };
  const Mixed msg{0x11223344u, -2, 255};
  std::array<std::byte, 8> out{};
  BOOST_TEST_REQUIRE(ByteAligned::encode(msg, out).size == 8u);
  const std::array<int, 8> expected{0x44, 0x33, 0x22, 0x11, 0xfe, 0xff, 0x00, 0x01};  // 255 - -1
  for (std::size_t i = 0; i < 8; ++i) BOOST_TEST(std::to_integer<int>(out[i]) == expected[i]);
}

BOOST_AUTO_TEST_CASE(a_bool_byte_other_than_zero_or_one_is_out_of_range) {
  struct Flag {
    bool flag;
  };
  Flag back{};
  BOOST_TEST(!ByteAligned::decode(bytes(std::array{std::byte{1}}), back));
  BOOST_TEST(back.flag);
  BOOST_TEST((ByteAligned::decode(bytes(std::array{std::byte{2}}), back) == Error::value_out_of_range));
  std::optional<std::uint8_t> maybe;  // the presence byte follows the same rule
  BOOST_TEST((ByteAligned::decode(bytes(std::array{std::byte{2}, std::byte{0}}), maybe) ==
              Error::value_out_of_range));
}

BOOST_AUTO_TEST_CASE(out_of_range_values_and_lengths_are_refused) {
  Known known{};
  BOOST_TEST((ByteAligned::decode(bytes(std::array{std::byte{0}, std::byte{101}, std::byte{0}}), known) ==
              Error::value_out_of_range));
  Wide wide{};
  std::array<std::byte, 16> raw{};
  raw[15] = std::byte{0x02};  // q, the last two bytes: step 512 > 2^9 - 1
  BOOST_TEST((ByteAligned::decode(raw, wide) == Error::value_out_of_range));
  Text text{};
  // length 301 = 0x012d > 300
  BOOST_TEST((ByteAligned::decode(bytes(std::array{std::byte{0x2d}, std::byte{0x01}}), text) ==
              Error::length_out_of_range));
}

BOOST_AUTO_TEST_CASE(a_length_beyond_the_input_is_truncated) {
  Text text{};
  const std::array<std::byte, 4> raw{std::byte{3}, std::byte{0}, std::byte{'a'}, std::byte{'b'}};
  BOOST_TEST((ByteAligned::decode(raw, text) == Error::truncated));
}

BOOST_AUTO_TEST_SUITE_END()
