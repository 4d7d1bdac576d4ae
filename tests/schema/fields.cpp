#include <courier/schema/detail/fields.hpp>

#include <courier/schema/bit_packed.hpp>
#include <courier/schema/byte_aligned.hpp>

#include <boost/test/unit_test.hpp>

#include <bit>
#include <limits>

#include "schema/messages.hpp"
#include "schema/schemas.hpp"

using courier::Error;
using schema_samples::Schemas;

namespace {

enum class Wide : std::int64_t {
  low = std::numeric_limits<std::int64_t>::min(),
  high = std::numeric_limits<std::int64_t>::max()
};
enum class Flag : bool { off, on };
enum Unfixed { unfixed_a, unfixed_b };

static_assert(courier::detail::FixedEnum<Wide>);
static_assert(courier::detail::FixedEnum<schema_samples::Legacy>);
static_assert(!courier::detail::FixedEnum<Unfixed>, "no fixed type: size and range undefined");
static_assert(courier::BitPacked::max_bytes<Wide> == 8);
static_assert(courier::BitPacked::max_bytes<Flag> == 1);
static_assert(courier::ByteAligned::max_bytes<schema_samples::Everything> ==
              courier::ByteAligned::max_bytes<schema_samples::Scalars> +
                  courier::ByteAligned::max_bytes<schema_samples::Bounded> +
                  courier::ByteAligned::max_bytes<schema_samples::Containers> +
                  courier::ByteAligned::max_bytes<schema_samples::Inner> +
                  courier::ByteAligned::max_bytes<schema_samples::Shot>);

using Nested = std::optional<std::array<std::optional<std::uint8_t>, 2>>;

/// What differs between the schemas in the tests below.
template <class S>
struct Expected;
template <>
struct Expected<courier::BitPacked> {
  static constexpr std::size_t nested_measured = 2;  // {nullopt, 9}: 1 + 1 + 1 + 8 bits
  static constexpr std::size_t nested_max = 3;       // 1 + 2 * 9 bits
  static constexpr Error flag_byte_3 = Error::malformed;
};
template <>
struct Expected<courier::ByteAligned> {
  static constexpr std::size_t nested_measured = 4;  // {nullopt, 9}: 1 + 1 + 1 + 1 bytes
  static constexpr std::size_t nested_max = 5;       // 1 + 2 * 2 bytes
  static constexpr Error flag_byte_3 = Error::value_out_of_range;
};

template <class S, class T>
T round_trip(const T& value) {
  std::array<std::byte, 64> out{};
  const auto encoded = S::encode(value, out);
  T back{};
  BOOST_TEST_REQUIRE(!S::decode(std::span(out.data(), encoded.size), back));
  return back;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fields_test)

BOOST_AUTO_TEST_CASE_TEMPLATE(floats_keep_their_exact_bits_nan_payloads_included, Schema, Schemas) {
  const float nan = std::bit_cast<float>(std::uint32_t{0x7fc12345});
  const double dnan = std::bit_cast<double>(std::uint64_t{0xfff0000000abcdefull});
  BOOST_TEST(std::bit_cast<std::uint32_t>(round_trip<Schema>(nan)) == 0x7fc12345u);
  BOOST_TEST(std::bit_cast<std::uint64_t>(round_trip<Schema>(dnan)) == 0xfff0000000abcdefull);
  BOOST_TEST(std::signbit(round_trip<Schema>(-0.0)));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(enums_use_their_full_underlying_range, Schema, Schemas) {
  BOOST_TEST((round_trip<Schema>(Wide::low) == Wide::low));
  BOOST_TEST((round_trip<Schema>(Wide::high) == Wide::high));
  BOOST_TEST((round_trip<Schema>(static_cast<schema_samples::Color>(200)) ==
              static_cast<schema_samples::Color>(200)));
  BOOST_TEST((round_trip<Schema>(Flag::on) == Flag::on));
  // 0b11 as a bool enum: ByteAligned reads the byte 3, not a bool; BitPacked reads its one bit
  // as `on` and finds the other set bit in the padding.
  Flag f{};
  BOOST_TEST((Schema::decode(std::array{std::byte{3}}, f) == Expected<Schema>::flag_byte_3));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(optionals_and_arrays_nest, Schema, Schemas) {
  const Nested value = std::array<std::optional<std::uint8_t>, 2>{std::nullopt, 9};
  BOOST_TEST((round_trip<Schema>(value) == value));
  BOOST_TEST(Schema::measure(value) == Expected<Schema>::nested_measured);
  static_assert(Schema::template max_bytes<Nested> == Expected<Schema>::nested_max);
  BOOST_TEST((round_trip<Schema>(Nested{}) == Nested{}));
}

BOOST_AUTO_TEST_SUITE_END()
