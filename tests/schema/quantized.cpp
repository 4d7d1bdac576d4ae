#include <courier/schema/quantized.hpp>

#include <courier/schema/bit_packed.hpp>
#include <courier/schema/byte_aligned.hpp>

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>

#include "schema/messages.hpp"
#include "schema/schemas.hpp"

using schema_samples::Schemas;
using schema_samples::schemas_and_seeds;
using schema_samples::with_schema;

namespace {

using Angle = courier::Quantized<-180, 180, 16>;
using Coarse = courier::Quantized<0, 10, 3>;
using Fine = courier::Quantized<-1000, 1000, 32>;

static_assert(courier::BitPacked::max_bytes<Angle> == 2);
static_assert(courier::BitPacked::max_bytes<Coarse> == 1);
static_assert(courier::ByteAligned::max_bytes<Coarse> == 1);
static_assert(courier::ByteAligned::max_bytes<Fine> == 4);
static_assert(Coarse::max_step == 7);

template <class S, class Q>
float round_trip(Q value) {
  std::array<std::byte, 8> out{};
  const auto encoded = S::encode(value, out);
  Q back{};
  BOOST_TEST_REQUIRE(!S::decode(std::span(out.data(), encoded.size), back));
  return back;
}

template <class S, class Q>
void check_error_bound(courier::Rng& rng) {
  const double x = Q::min + rng.unit() * (Q::max - Q::min);
  const Q value = static_cast<float>(x);
  const float back = round_trip<S>(value);
  // Half a step of quantization plus float rounding of the stored and decoded values.
  const double tolerance = Q::step / 2 + 4 * std::numeric_limits<float>::epsilon() * std::abs(x) + 1e-6;
  BOOST_TEST(std::abs(back - x) <= tolerance, "x=" << x << " back=" << back);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(quantized_test)

// Each seeded property runs once per (schema, seed), and a failure's context names both.
BOOST_DATA_TEST_CASE(values_come_back_within_half_a_step, schemas_and_seeds(), schema, seed) {
  with_schema(schema, [&]<class S>() {
    courier::Rng rng(seed);
    for (int i = 0; i < 100; ++i) {
      check_error_bound<S, Angle>(rng);
      check_error_bound<S, Coarse>(rng);
      check_error_bound<S, Fine>(rng);
    }
  });
}

BOOST_DATA_TEST_CASE(representable_values_round_trip_exactly, schemas_and_seeds(), schema, seed) {
  with_schema(schema, [&]<class S>() {
    courier::Rng rng(seed);
    for (int i = 0; i < 100; ++i) {
      const Angle a = schema_samples::random_quantized<Angle>(rng);
      BOOST_TEST(round_trip<S>(a) == a.value());
    }
  });
}

BOOST_AUTO_TEST_CASE_TEMPLATE(encoding_clamps_and_sends_nan_as_min, Schema, Schemas) {
  BOOST_TEST(round_trip<Schema>(Angle{1e9f}) == 180.0f);
  BOOST_TEST(round_trip<Schema>(Angle{-1e9f}) == -180.0f);
  BOOST_TEST(round_trip<Schema>(Angle{std::numeric_limits<float>::infinity()}) == 180.0f);
  BOOST_TEST(round_trip<Schema>(Angle{std::numeric_limits<float>::quiet_NaN()}) == -180.0f);
}

BOOST_AUTO_TEST_CASE(quantize_clamps_and_dequantize_reaches_both_ends) {
  BOOST_TEST(Coarse::quantize(10.0) == 7u);
  BOOST_TEST(Coarse::dequantize(7) == 10.0f);
  BOOST_TEST(Fine::dequantize(Fine::max_step) == 1000.0f);
  BOOST_TEST(Fine::dequantize(0) == -1000.0f);
}

BOOST_AUTO_TEST_CASE(a_byte_aligned_step_above_the_maximum_is_value_out_of_range) {
  Coarse c;
  const std::array<std::byte, 1> eight{std::byte{8}};  // 3 bits allow 0..7
  BOOST_TEST((courier::ByteAligned::decode(eight, c) == courier::Error::value_out_of_range));
}

BOOST_AUTO_TEST_SUITE_END()
