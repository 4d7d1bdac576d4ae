#include <courier/schema/detail/fields.hpp>

#include <courier/schema/bit_packed.hpp>
#include <courier/schema/byte_aligned.hpp>

#include <boost/test/unit_test.hpp>

#include <bit>
#include <limits>

#include "schema/messages.hpp"

using courier::Error;

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

BOOST_AUTO_TEST_CASE(floats_keep_their_exact_bits_nan_payloads_included) {
  const float nan = std::bit_cast<float>(std::uint32_t{0x7fc12345});
  const double dnan = std::bit_cast<double>(std::uint64_t{0xfff0000000abcdefull});
  BOOST_TEST(std::bit_cast<std::uint32_t>(round_trip<courier::BitPacked>(nan)) == 0x7fc12345u);
  BOOST_TEST(std::bit_cast<std::uint64_t>(round_trip<courier::ByteAligned>(dnan)) ==
             0xfff0000000abcdefull);
  BOOST_TEST(std::signbit(round_trip<courier::BitPacked>(-0.0)));
}

BOOST_AUTO_TEST_CASE(enums_use_their_full_underlying_range) {
  BOOST_TEST((round_trip<courier::BitPacked>(Wide::low) == Wide::low));
  BOOST_TEST((round_trip<courier::ByteAligned>(Wide::high) == Wide::high));
  BOOST_TEST((round_trip<courier::BitPacked>(static_cast<schema_samples::Color>(200)) ==
              static_cast<schema_samples::Color>(200)));
  BOOST_TEST((round_trip<courier::ByteAligned>(Flag::on) == Flag::on));
  Flag f{};
  BOOST_TEST((courier::ByteAligned::decode(std::array{std::byte{3}}, f) == Error::value_out_of_range));
}

BOOST_AUTO_TEST_CASE(optionals_and_arrays_nest) {
  using Nested = std::optional<std::array<std::optional<std::uint8_t>, 2>>;
  const Nested value = std::array<std::optional<std::uint8_t>, 2>{std::nullopt, 9};
  BOOST_TEST((round_trip<courier::BitPacked>(value) == value));
  BOOST_TEST((round_trip<courier::ByteAligned>(value) == value));
  BOOST_TEST(courier::BitPacked::measure(value) == 2u);  // 1 + 1 + 1 + 8 bits
  static_assert(courier::BitPacked::max_bytes<Nested> == 3);  // 1 + 2 * 9 bits
  BOOST_TEST((round_trip<courier::BitPacked>(Nested{}) == Nested{}));
}

BOOST_AUTO_TEST_SUITE_END()
