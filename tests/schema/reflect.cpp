#include <courier/schema/detail/reflect.hpp>

#include <boost/test/unit_test.hpp>

#include <array>
#include <optional>
#include <string>
#include <vector>

#include <courier/schema/bounded_string.hpp>
#include <courier/schema/bounded_vector.hpp>
#include <courier/schema/quantized.hpp>
#include <courier/schema/ranged.hpp>

using courier::detail::field_count;
using courier::detail::visit_fields;

namespace {

struct Empty {};
struct One {
  int a;
};
struct Inner {
  int x, y;
};
// Members with converting constructor templates or initializer lists are the hard cases for a
// brace-init probe; each must count as one field.
struct Tricky {
  std::optional<int> maybe;
  std::string text;
  std::vector<int> items;
  std::array<int, 3> three;
  Inner inner;
  courier::Ranged<int, 0, 9> ranged;
  courier::Quantized<0, 1, 4> quantized;
  courier::BoundedString<4> name;
  courier::BoundedVector<Inner, 2> inners;
  std::optional<Inner> maybe_inner;
  int* pointer;
};
struct TwentyFour {
  int f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18, f19,
      f20, f21, f22, f23;
};
struct TwentyFive {
  int f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18, f19,
      f20, f21, f22, f23, f24;
};

static_assert(field_count<Empty>() == 0);
static_assert(field_count<One>() == 1);
static_assert(field_count<Inner>() == 2);
static_assert(field_count<Tricky>() == 11);
static_assert(field_count<TwentyFour>() == 24);
static_assert(field_count<TwentyFive>() > courier::detail::max_reflected_fields);

}  // namespace

BOOST_AUTO_TEST_SUITE(reflect_test)

BOOST_AUTO_TEST_CASE(visits_every_field_in_order_by_reference) {
  TwentyFour t{};
  int next = 0;
  visit_fields(t, [&next](auto&... fields) { ((fields = next++), ...); });
  BOOST_TEST(t.f0 == 0);
  BOOST_TEST(t.f12 == 12);
  BOOST_TEST(t.f23 == 23);
  Empty e;
  int calls = 0;
  visit_fields(e, [&calls](auto&... fields) { calls += 1 + static_cast<int>(sizeof...(fields)); });
  BOOST_TEST(calls == 1);
}

BOOST_AUTO_TEST_CASE(visits_each_count_from_1_to_24) {
  // Every binding branch is exercised by counting the fields it hands over.
  auto count = [](auto& object) {
    std::size_t n = 0;
    visit_fields(object, [&n](auto&... fields) { n = sizeof...(fields); });
    return n;
  };
  One one{};
  Tricky tricky{};
  TwentyFour twenty_four{};
  BOOST_TEST(count(one) == 1u);
  BOOST_TEST(count(tricky) == 11u);
  BOOST_TEST(count(twenty_four) == 24u);
}

BOOST_AUTO_TEST_SUITE_END()
