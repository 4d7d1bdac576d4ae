// Property tests shared by both schemas (detail/codec.hpp): round trip, exact measure, worst
// case, and the untrusted-input rules, over seeded random messages.
#include <courier/schema/bit_packed.hpp>
#include <courier/schema/byte_aligned.hpp>
#include <courier/schema/detail/codec.hpp>

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "schema/messages.hpp"
#include "schema/schemas.hpp"

using courier::Error;
using schema_samples::Everything;
using schema_samples::Schemas;
using schema_samples::schemas_and_seeds;
using schema_samples::Small;
using schema_samples::with_schema;

namespace {
namespace property {  // one function per property, named as its test case

template <class S>
void round_trips(std::uint64_t seed) {
  courier::Rng rng(seed);
  for (int i = 0; i < 20; ++i) {
    const Everything msg = schema_samples::random_everything(rng);
    std::vector<std::byte> out(S::template max_bytes<Everything>);
    const courier::EncodeResult encoded = S::encode(msg, out);
    BOOST_TEST_REQUIRE(!encoded.error);
    BOOST_TEST(encoded.size == S::measure(msg));
    BOOST_TEST(encoded.size <= S::template max_bytes<Everything>);
    // Decode over another random message: every field must be overwritten.
    Everything back = schema_samples::random_everything(rng);
    const std::error_code ec = S::decode(std::span<const std::byte>(out.data(), encoded.size), back);
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST((back == msg));
  }
}

template <class S>
void every_truncation_fails(std::uint64_t seed) {
  courier::Rng rng(seed);
  const auto bytes = schema_samples::encode_to_vector<S>(schema_samples::random_everything(rng));
  BOOST_TEST_REQUIRE(!bytes.empty());
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    Everything back{};
    const auto ec = S::decode(std::span<const std::byte>(bytes.data(), size), back);
    BOOST_TEST((ec == Error::truncated), "prefix of " << size << " bytes: " << ec.message());
  }
}

template <class S>
void extra_bytes_are_trailing(std::uint64_t seed) {
  courier::Rng rng(seed);
  auto bytes = schema_samples::encode_to_vector<S>(schema_samples::random_everything(rng));
  const auto extra = schema_samples::random_bytes(rng, 1 + rng.below(8));
  bytes.insert(bytes.end(), extra.begin(), extra.end());
  Everything back{};
  BOOST_TEST((S::decode(bytes, back) == Error::trailing_bytes));
}

/// Garbage never crashes (ASan/UBSan watch), fails only with a decode error, and whatever it
/// does decode re-encodes to exactly the same bytes: the formats are canonical.
template <class S, class T>
void garbage_is_rejected_or_canonical(std::uint64_t seed) {
  courier::Rng rng(seed);
  int decoded = 0;
  for (int i = 0; i < 300; ++i) {
    const auto bytes = schema_samples::random_bytes(rng, rng.below(2 * S::template max_bytes<T> + 2));
    T back{};
    const std::error_code ec = S::decode(bytes, back);
    if (ec) {
      BOOST_TEST(schema_samples::is_decode_error(ec), ec.message());
      continue;
    }
    ++decoded;
    BOOST_TEST((schema_samples::encode_to_vector<S>(back) == bytes));
  }
  BOOST_TEST_MESSAGE("decoded " << decoded << " of 300 random inputs");
}

/// Valid encodings with a few bytes flipped reach much deeper than pure garbage: each either
/// fails with a decode error or decodes to a message that re-encodes to exactly those bytes.
template <class S>
void mutations_are_rejected_or_canonical(std::uint64_t seed) {
  courier::Rng rng(seed);
  int decoded = 0;
  for (int i = 0; i < 100; ++i) {
    auto bytes = schema_samples::encode_to_vector<S>(schema_samples::random_everything(rng));
    const auto flips = 1 + rng.below(3);
    for (std::uint64_t f = 0; f < flips; ++f) {
      bytes[rng.below(bytes.size())] ^= static_cast<std::byte>(1u << rng.below(8));
    }
    Everything back{};
    const std::error_code ec = S::decode(bytes, back);
    if (ec) {
      BOOST_TEST(schema_samples::is_decode_error(ec), ec.message());
      continue;
    }
    ++decoded;
    BOOST_TEST((schema_samples::encode_to_vector<S>(back) == bytes));
  }
  BOOST_TEST_MESSAGE("decoded " << decoded << " of 100 mutated encodings");
}

}  // namespace property
}  // namespace

BOOST_AUTO_TEST_SUITE(codec_test)

// Each property runs once per (schema, seed), and a failure's context names both.
BOOST_DATA_TEST_CASE(round_trips, schemas_and_seeds(), schema, seed) {
  with_schema(schema, [&]<class S>() { property::round_trips<S>(seed); });
}
BOOST_DATA_TEST_CASE(every_truncation_fails, schemas_and_seeds(), schema, seed) {
  with_schema(schema, [&]<class S>() { property::every_truncation_fails<S>(seed); });
}
BOOST_DATA_TEST_CASE(extra_bytes_are_trailing, schemas_and_seeds(), schema, seed) {
  with_schema(schema, [&]<class S>() { property::extra_bytes_are_trailing<S>(seed); });
}
BOOST_DATA_TEST_CASE(garbage_is_rejected_or_canonical, schemas_and_seeds(), schema, seed) {
  with_schema(schema, [&]<class S>() {
    property::garbage_is_rejected_or_canonical<S, Everything>(seed);
    property::garbage_is_rejected_or_canonical<S, Small>(seed);
  });
}
BOOST_DATA_TEST_CASE(mutations_are_rejected_or_canonical, schemas_and_seeds(), schema, seed) {
  with_schema(schema, [&]<class S>() { property::mutations_are_rejected_or_canonical<S>(seed); });
}

BOOST_AUTO_TEST_CASE_TEMPLATE(encode_into_a_short_buffer_is_buffer_too_small, Schema, Schemas) {
  courier::Rng rng(5);
  const Everything msg = schema_samples::random_everything(rng);
  std::vector<std::byte> out(Schema::measure(msg));
  BOOST_TEST(Schema::encode(msg, out).size == out.size());
  for (std::size_t size = 0; size < out.size(); ++size) {
    const auto result = Schema::encode(msg, std::span(out.data(), size));
    BOOST_TEST(!result);
    BOOST_TEST((result.error == Error::buffer_too_small));
  }
}

BOOST_AUTO_TEST_CASE(the_first_error_is_the_one_reported) {
  struct Two {
    bool flag;
    std::uint32_t value;
  };
  // 0x02 is not a bool (value_out_of_range); then the input ends (truncated): first one wins.
  const std::array<std::byte, 1> bytes{std::byte{2}};
  Two back{};
  BOOST_TEST((courier::ByteAligned::decode(bytes, back) == Error::value_out_of_range));
}

BOOST_AUTO_TEST_SUITE_END()
