#include <courier/core/byte_cursor.hpp>

#include <boost/test/unit_test.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

using courier::Error;
using courier::detail::ByteReader;
using courier::detail::ByteWriter;
using courier::detail::varint_size;

namespace {

template <class... Ints>
constexpr std::array<std::byte, sizeof...(Ints)> bytes_of(Ints... values) {
  return {static_cast<std::byte>(values)...};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(byte_cursor_test)

BOOST_AUTO_TEST_CASE(writes_every_width_little_endian) {
  std::array<std::byte, 18> out{};
  ByteWriter w(out);
  w.u8(0x01);
  w.u16(0x0302);
  w.u32(0x07060504u);
  w.u64(0x0f0e0d0c0b0a0908ull);
  w.uint(0x121110, 3);
  BOOST_TEST(w.ok());
  BOOST_TEST(w.position() == 18u);
  BOOST_TEST(w.remaining() == 0u);
  for (std::size_t i = 0; i < out.size(); ++i) BOOST_TEST(std::to_integer<std::size_t>(out[i]) == i + 1);
}

BOOST_AUTO_TEST_CASE(reads_every_width_little_endian) {
  const auto in = bytes_of(0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d,
                           0x0e, 0x0f, 0x10, 0x11, 0x12);
  ByteReader r(in);
  BOOST_TEST(r.u8() == 0x01u);
  BOOST_TEST(r.u16() == 0x0302u);
  BOOST_TEST(r.u32() == 0x07060504u);
  BOOST_TEST(r.u64() == 0x0f0e0d0c0b0a0908ull);
  BOOST_TEST(r.uint(3) == 0x121110u);
  BOOST_TEST(r.at_end());
  BOOST_TEST(!r.finish());
}

// From the ByteAligned reader's tests: a short read yields 0, the first error stays, and a
// later step is a no-op even when its bytes are there.
BOOST_AUTO_TEST_CASE(reads_little_endian_and_keeps_its_first_error) {
  const auto in = bytes_of(0x34, 0x12, 0xff);
  ByteReader r(in);
  BOOST_TEST(r.u16() == 0x1234u);
  BOOST_TEST(r.u16() == 0u);  // one byte left
  r.fail(Error::length_out_of_range);
  BOOST_TEST((r.error() == Error::truncated));
  std::uint8_t c = 0x55;
  r.bytes(&c, 1);  // a no-op after the error, though the byte is there
  BOOST_TEST(c == 0u);
  BOOST_TEST(r.position() == 2u);
  BOOST_TEST((r.finish() == Error::truncated));
}

BOOST_AUTO_TEST_CASE(finish_demands_every_byte_consumed) {
  const std::array<std::byte, 2> in{};
  ByteReader r(in);
  r.u8();
  BOOST_TEST(r.remaining() == 1u);
  BOOST_TEST(!r.at_end());
  BOOST_TEST((r.finish() == Error::trailing_bytes));
  r.u8();
  BOOST_TEST(!r.finish());
}

BOOST_AUTO_TEST_CASE(the_callers_error_is_kept_when_it_comes_first) {
  const std::array<std::byte, 4> in{};
  ByteReader r(in);
  r.fail(Error::value_out_of_range);
  r.fail(Error::malformed);
  BOOST_TEST(r.u32() == 0u);
  BOOST_TEST(r.position() == 0u);
  BOOST_TEST((r.finish() == Error::value_out_of_range));
}

// From the ByteAligned writer's tests.
BOOST_AUTO_TEST_CASE(writes_little_endian_and_stops_at_the_end) {
  std::array<std::byte, 5> out{};
  ByteWriter w(out);
  w.u32(0x05060708u);
  const char tail[1] = {'z'};
  w.bytes(tail, 1);
  BOOST_TEST(w.ok());
  BOOST_TEST(w.position() == 5u);
  BOOST_TEST(std::to_integer<int>(out[0]) == 0x08);
  BOOST_TEST(std::to_integer<int>(out[3]) == 0x05);
  BOOST_TEST(std::to_integer<int>(out[4]) == 'z');
  w.u8(1);
  BOOST_TEST((w.error() == Error::buffer_too_small));
  BOOST_TEST(w.position() == 5u);
}

BOOST_AUTO_TEST_CASE(a_write_that_does_not_fit_writes_nothing_and_stops_later_writes) {
  std::array<std::byte, 4> out{};
  ByteWriter w(out);
  w.u8(0xaa);
  w.u32(0x11223344u);  // 4 > 3 remaining
  w.u8(0xbb);          // would fit, but the error is sticky
  w.fail(Error::invalid_config);
  BOOST_TEST((w.error() == Error::buffer_too_small));
  BOOST_TEST(w.position() == 1u);
  BOOST_TEST((out == bytes_of(0xaa, 0, 0, 0)));
}

BOOST_AUTO_TEST_CASE(bytes_zeros_and_views) {
  std::array<std::byte, 6> out{};
  out.fill(std::byte{0xee});
  ByteWriter w(out);
  const auto two = bytes_of(0x01, 0x02);
  w.bytes(std::span<const std::byte>(two));
  w.zeros(2);
  w.bytes(two.data(), two.size());
  BOOST_TEST(w.ok());
  BOOST_TEST((out == bytes_of(0x01, 0x02, 0, 0, 0x01, 0x02)));

  ByteReader r(out);
  const auto first = r.view(2);
  BOOST_TEST(first.data() == out.data());  // a view into the input, not a copy
  BOOST_TEST(first.size() == 2u);
  BOOST_TEST(r.view(5).empty());           // 4 remain
  BOOST_TEST((r.error() == Error::truncated));
}

BOOST_AUTO_TEST_CASE(varints_round_trip_at_every_length) {
  const std::array<std::uint32_t, 10> values{0u, 1u, 0x7fu, 0x80u, 0x3fffu, 0x4000u, 0x1fffffu, 0x200000u,
                                             0x0fffffffu, 0xffffffffu};
  for (const std::uint32_t v : values) {
    std::array<std::byte, 5> buf{};
    ByteWriter w(buf);
    w.varint(v);
    BOOST_TEST(w.position() == varint_size(v));
    ByteReader r(std::span<const std::byte>(buf.data(), w.position()));
    BOOST_TEST(r.varint() == v);
    BOOST_TEST(!r.finish());
  }
  BOOST_TEST(varint_size(0x7f) == 1u);
  BOOST_TEST(varint_size(0xffffffffu) == 5u);
}

BOOST_AUTO_TEST_CASE(a_varint_beyond_32_bits_or_unterminated_is_refused) {
  const auto too_wide = bytes_of(0xff, 0xff, 0xff, 0xff, 0x1f);  // bit 32 set
  ByteReader wide(too_wide);
  BOOST_TEST(wide.varint() == 0u);
  BOOST_TEST((wide.error() == Error::malformed));

  const auto too_long = bytes_of(0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
  ByteReader long_one(too_long);
  BOOST_TEST(long_one.varint() == 0u);
  BOOST_TEST((long_one.error() == Error::malformed));

  const auto cut = bytes_of(0x80, 0x80);
  ByteReader short_one(cut);
  BOOST_TEST(short_one.varint() == 0u);
  BOOST_TEST((short_one.error() == Error::truncated));

  std::array<std::byte, 2> small{};
  ByteWriter w(small);
  w.varint(0x4000);  // three bytes
  BOOST_TEST((w.error() == Error::buffer_too_small));
  BOOST_TEST(w.position() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
