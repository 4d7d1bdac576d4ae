#include <courier/schema/ranged.hpp>

#include <courier/schema/bit_packed.hpp>
#include <courier/schema/byte_aligned.hpp>

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <limits>

#include "schema/messages.hpp"
#include "schema/schemas.hpp"

using schema_samples::Schemas;
using schema_samples::schemas_and_seeds;
using schema_samples::with_schema;

namespace {

using Health = courier::Ranged<int, -20, 100>;
using Full64 = courier::Ranged<std::int64_t, std::numeric_limits<std::int64_t>::min(),
                               std::numeric_limits<std::int64_t>::max()>;
using FullU64 = courier::Ranged<std::uint64_t, 0, std::numeric_limits<std::uint64_t>::max()>;

static_assert(Health::span == 120);
static_assert(Full64::span == std::numeric_limits<std::uint64_t>::max());
static_assert(courier::BitPacked::max_bytes<Health> == 1);  // 7 bits
static_assert(courier::BitPacked::max_bytes<Full64> == 8);
static_assert(courier::BitPacked::max_bytes<FullU64> == 8);
static_assert(courier::BitPacked::max_bytes<courier::Ranged<int, 5, 5>> == 0);
static_assert(courier::ByteAligned::max_bytes<courier::Ranged<int, 5, 5>> == 1);
static_assert(courier::ByteAligned::max_bytes<courier::Ranged<std::int16_t, -1, 255>> == 2);
static_assert(Health{} == -20, "a default Ranged starts at Min, which the peer can receive");

template <class S, class R>
R round_trip(R value) {
  std::array<std::byte, 8> out{};
  const auto encoded = S::encode(value, out);
  R back{};
  BOOST_TEST_REQUIRE(!S::decode(std::span(out.data(), encoded.size), back));
  return back;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ranged_test)

BOOST_AUTO_TEST_CASE(converts_to_and_from_its_integer) {
  Health h = 42;
  int plain = h;
  BOOST_TEST(plain == 42);
  h = 500;  // stored as is ...
  BOOST_TEST(h.value() == 500);
  BOOST_TEST(h.clamped() == 100);  // ... and clamped only on the wire
  BOOST_TEST(Health::min == -20);
  BOOST_TEST(Health::max == 100);
}

// Once per (schema, seed), and a failure's context names both.
BOOST_DATA_TEST_CASE(in_range_values_round_trip_out_of_range_ones_clamp, schemas_and_seeds(), schema, seed) {
  with_schema(schema, [&]<class S>() {
    courier::Rng rng(seed);
    for (int i = 0; i < 100; ++i) {
      const Health in_range = schema_samples::random_between(rng, -20, 100);
      BOOST_TEST(round_trip<S>(in_range) == in_range);
      const Health any = schema_samples::random_integer<int>(rng);
      BOOST_TEST(round_trip<S>(any) == any.clamped());
      const Full64 full = schema_samples::random_integer<std::int64_t>(rng);
      BOOST_TEST(round_trip<S>(full) == full);
      const FullU64 full_u = rng.next();
      BOOST_TEST(round_trip<S>(full_u) == full_u);
    }
  });
}

BOOST_AUTO_TEST_CASE_TEMPLATE(decoding_an_offset_beyond_the_span_is_value_out_of_range, Schema, Schemas) {
  Health h;
  // 7 bits (BitPacked) or a byte (ByteAligned) can say 121..127; the span is 120.
  for (int raw = 121; raw < 128; ++raw) {
    const std::array<std::byte, 1> in{static_cast<std::byte>(raw)};
    BOOST_TEST((Schema::decode(in, h) == courier::Error::value_out_of_range));
  }
  const std::array<std::byte, 1> edge{std::byte{120}};
  BOOST_TEST(!Schema::decode(edge, h));
  BOOST_TEST(h == 100);
}

BOOST_AUTO_TEST_SUITE_END()
