#include <courier/schema/bounded_string.hpp>

#include <courier/schema/bit_packed.hpp>
#include <courier/schema/byte_aligned.hpp>

#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

#include "schema/schemas.hpp"

using namespace std::string_view_literals;
using Name = courier::BoundedString<8>;
using schema_samples::Schemas;

static_assert(sizeof(Name) <= 8 + 1 + sizeof(std::size_t) + 7, "stored inline, no heap");
static_assert(courier::BitPacked::max_bytes<Name> == 9);     // 4 + 64 bits
static_assert(courier::ByteAligned::max_bytes<Name> == 9);   // 1 + 8 bytes
static_assert(courier::ByteAligned::max_bytes<courier::BoundedString<256>> == 258);
static_assert(courier::BitPacked::max_bytes<courier::BoundedString<0>> == 0);
static_assert(Name("abc").size() == 3, "usable in constant expressions");

BOOST_AUTO_TEST_SUITE(bounded_string_test)

BOOST_AUTO_TEST_CASE(is_usable_like_a_string) {
  Name a = "hello";
  BOOST_TEST(a.view() == "hello"sv);
  BOOST_TEST(std::string(a.c_str()) == "hello");
  BOOST_TEST(a.size() == 5u);
  BOOST_TEST(!a.empty());
  BOOST_TEST((a == "hello"));
  BOOST_TEST((a == "hello"sv));
  BOOST_TEST(("hello" == a));
  BOOST_TEST((a != Name("hellO")));
  BOOST_TEST((a < Name("help")));
  BOOST_TEST((a > "hell"sv));
  a = "bye"sv;
  BOOST_TEST(a.view() == "bye"sv);
  const std::string text = "from std::string";
  a = std::string_view(text).substr(0, 4);
  BOOST_TEST(a.view() == "from"sv);
  std::string joined;
  for (char c : a) joined += c;
  BOOST_TEST(joined == "from");
  a.clear();
  BOOST_TEST(a.empty());
  BOOST_TEST(*a.c_str() == '\0');
}

BOOST_AUTO_TEST_CASE(refuses_text_longer_than_its_bound) {
  BOOST_CHECK_THROW(Name("123456789"), std::length_error);
  Name a = "12345678";  // exactly N is fine
  BOOST_TEST(a.size() == 8u);
  BOOST_TEST(!a.try_assign("123456789"));
  BOOST_TEST(a.view() == "12345678"sv);
  BOOST_CHECK_THROW(a.resize(9), std::length_error);
}

BOOST_AUTO_TEST_CASE(holds_any_bytes_including_nul) {
  const std::string_view binary("a\0b\xff", 4);
  Name a(binary);
  std::array<std::byte, 16> out{};
  const auto encoded = courier::ByteAligned::encode(a, out);
  BOOST_TEST(encoded.size == 5u);
  Name back;
  BOOST_TEST(!courier::ByteAligned::decode(std::span(out.data(), encoded.size), back));
  BOOST_TEST(back.view() == binary);
  BOOST_TEST(back.size() == 4u);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(a_declared_length_above_n_is_length_out_of_range, Schema, Schemas) {
  Name back;
  std::array<std::byte, 10> in{};
  in[0] = std::byte{9};  // the length: a 4-bit field in BitPacked, a byte in ByteAligned
  // Refused on the length alone, whether or not 9 bytes of text follow.
  BOOST_TEST((Schema::decode(in, back) == courier::Error::length_out_of_range));
  BOOST_TEST((Schema::decode(std::span(in.data(), 1), back) == courier::Error::length_out_of_range));
}

BOOST_AUTO_TEST_SUITE_END()
