#include <courier/schema/detail/stream.hpp>

#include <courier/schema/bit_packed.hpp>
#include <courier/schema/byte_aligned.hpp>

#include <boost/test/unit_test.hpp>

#include "schema/messages.hpp"
#include "schema/schemas.hpp"

using courier::detail::BitFormat;
using courier::detail::ByteFormat;
using courier::detail::Measurer;
using courier::detail::Mode;
using schema_samples::Schemas;

namespace {

/// One serialize, four uses: this struct is measured, worst-cased, written and read.
struct Custom {
  std::uint8_t kind = 0;
  int level = 0;        // 1..64 -> 6 bits
  double speed = 0.0;   // 0..20 in 10 bits
  courier::BoundedVector<std::uint16_t, 7> ids;  // 3-bit length
  std::optional<courier::BoundedString<2>> note;
  template <class Stream>
  constexpr void serialize(Stream& s) {
    s(kind);
    s.template ranged<1, 64>(level);
    s.template quantized<0, 20, 10>(speed);
    s(ids, note);
  }
  bool operator==(const Custom&) const = default;
};

template <class Format, Mode M, class T>
constexpr std::size_t bits_of(T value) {
  Measurer<Format, M> m;
  courier::detail::serialize_field(m, value);
  return m.bits();
}

// Worst case of a default-constructed Custom counts the bounds, not the (empty) contents.
static_assert(bits_of<BitFormat, Mode::max>(Custom{}) == 8 + 6 + 10 + 3 + 7 * 16 + 1 + 2 + 16);
static_assert(bits_of<BitFormat, Mode::min>(Custom{}) == 8 + 6 + 10 + 3 + 1);
static_assert(bits_of<BitFormat, Mode::measure>(Custom{}) == 8 + 6 + 10 + 3 + 1);
static_assert(bits_of<ByteFormat, Mode::max>(Custom{}) == 8 * (1 + 1 + 2 + 1 + 14 + 1 + 1 + 2));
static_assert(courier::BitPacked::max_bytes<Custom> == 20);  // 158 bits
static_assert(courier::ByteAligned::max_bytes<Custom> == 23);

/// A Custom with two ids and a one-letter note, measured: its format and size in each schema.
template <class S>
struct Measured;
template <>
struct Measured<courier::BitPacked> {
  using Format = BitFormat;
  static constexpr std::size_t bits = 8 + 6 + 10 + 3 + 32 + 1 + 2 + 8;
  static constexpr std::size_t bytes = 9;  // 70 bits
};
template <>
struct Measured<courier::ByteAligned> {
  using Format = ByteFormat;
  static constexpr std::size_t bytes = 1 + 1 + 2 + 1 + 4 + 1 + 1 + 1;
  static constexpr std::size_t bits = 8 * bytes;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(stream_test)

BOOST_AUTO_TEST_CASE_TEMPLATE(measure_counts_the_current_contents, Schema, Schemas) {
  Custom c;
  c.ids.push_back(1);
  c.ids.push_back(2);
  c.note = courier::BoundedString<2>("x");
  using Format = typename Measured<Schema>::Format;
  const std::size_t measured = bits_of<Format, Mode::measure>(c);
  BOOST_TEST(measured == Measured<Schema>::bits);
  BOOST_TEST(Schema::measure(c) == Measured<Schema>::bytes);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(custom_serialize_round_trips_and_applies_its_bounds, Schema, Schemas) {
  Custom c;
  c.kind = 7;
  c.level = 99;  // clamped to 64 on the wire
  c.speed = 20.0;
  c.ids = {4, 5, 6};
  std::array<std::byte, 32> out{};
  const auto encoded = Schema::encode(c, out);
  BOOST_TEST_REQUIRE(!encoded.error);
  Custom back;
  back.note = courier::BoundedString<2>("zz");  // must be reset by the decode
  BOOST_TEST(!Schema::decode(std::span(out.data(), encoded.size), back));
  c.level = 64;
  BOOST_TEST((back == c));
}

BOOST_AUTO_TEST_CASE(measurers_never_fail) {
  Measurer<BitFormat, Mode::measure> m;
  m.fail(courier::Error::malformed);
  BOOST_TEST(m.ok());
}

BOOST_AUTO_TEST_SUITE_END()
