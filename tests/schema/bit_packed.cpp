#include <courier/schema/bit_packed.hpp>

#include <boost/test/unit_test.hpp>

#include <array>

#include "schema/messages.hpp"

using courier::BitPacked;
using courier::Error;

namespace {

struct Known {  // 8 + 7 + 1 bits
  std::uint8_t a;
  courier::Ranged<int, 0, 100> r;
  bool b;
};
struct Flags {  // 3 bits: one byte with 5 padding bits
  bool x, y, z;
};
struct Text {
  courier::BoundedString<5> text;  // 3-bit length
};
struct Empty {};

static_assert(courier::Schema<BitPacked>);
static_assert(BitPacked::max_bytes<Known> == 2);
static_assert(BitPacked::max_bytes<Flags> == 1);
static_assert(BitPacked::max_bytes<Empty> == 0);
static_assert(BitPacked::max_bytes<Text> == 6);                                        // 3 + 40 bits
static_assert(BitPacked::max_bytes<courier::BoundedVector<Known, 4>> == 9);            // 3 + 4 * 16
static_assert(BitPacked::max_bytes<std::optional<Known>> == 3);                        // 1 + 16
static_assert(BitPacked::max_bytes<std::array<courier::Quantized<0, 1, 5>, 3>> == 2);  // 15
static_assert(BitPacked::max_bytes<schema_samples::Shot> == 9);  // 16 + 9 + 8 + 3 + 32 bits

template <std::size_t N>
std::span<const std::byte> bytes(const std::array<std::byte, N>& a) {
  return a;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bit_packed_test)

BOOST_AUTO_TEST_CASE(bits_are_packed_least_significant_first) {
  const Known msg{0xab, 100, true};
  std::array<std::byte, 2> out{};
  const auto result = BitPacked::encode(msg, out);
  BOOST_TEST_REQUIRE(result.size == 2u);
  // bits 0-7: 0xab; bits 8-14: 100 = 0b1100100; bit 15: 1  ->  second byte 0b1_1100100 = 0xe4
  BOOST_TEST(std::to_integer<int>(out[0]) == 0xab);
  BOOST_TEST(std::to_integer<int>(out[1]) == 0xe4);
  BOOST_TEST(BitPacked::measure(msg) == 2u);
}

BOOST_AUTO_TEST_CASE(non_zero_padding_is_malformed_and_a_whole_extra_byte_trailing) {
  Flags back{};
  BOOST_TEST(!BitPacked::decode(bytes(std::array{std::byte{0x05}}), back));
  BOOST_TEST((back.x && !back.y && back.z));
  BOOST_TEST((BitPacked::decode(bytes(std::array{std::byte{0x0d}}), back) == Error::malformed));
  BOOST_TEST((BitPacked::decode(bytes(std::array{std::byte{0x05}, std::byte{0}}), back) ==
              Error::trailing_bytes));
  Empty empty;
  BOOST_TEST(!BitPacked::decode(std::span<const std::byte>{}, empty));
  BOOST_TEST((BitPacked::decode(bytes(std::array{std::byte{0}}), empty) == Error::trailing_bytes));
}

BOOST_AUTO_TEST_CASE(out_of_range_values_and_lengths_are_refused) {
  Known known{};
  // r = 127 > 100 in bits 8-14.
  BOOST_TEST((BitPacked::decode(bytes(std::array{std::byte{0}, std::byte{0x7f}}), known) ==
              Error::value_out_of_range));
  Text text{};
  // length 6 and 7 exceed N = 5; the 3-bit prefix can carry them.
  BOOST_TEST((BitPacked::decode(bytes(std::array{std::byte{6}}), text) == Error::length_out_of_range));
  BOOST_TEST((BitPacked::decode(bytes(std::array{std::byte{7}}), text) == Error::length_out_of_range));
  BOOST_TEST(text.text.empty());
}

BOOST_AUTO_TEST_CASE(encoding_clamps_ranged_values) {
  Known msg{1, 250, false};
  std::array<std::byte, 2> out{};
  BOOST_TEST_REQUIRE(BitPacked::encode(msg, out).size == 2u);
  Known back{};
  BOOST_TEST(!BitPacked::decode(out, back));
  BOOST_TEST(back.r == 100);
}

BOOST_AUTO_TEST_SUITE_END()
