#include <courier/core/type_list.hpp>

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace cd = courier::detail;

BOOST_AUTO_TEST_SUITE(type_list_test)

using List = cd::TypeList<int, double, char>;

static_assert(List::size == 3);
static_assert(cd::contains_v<List, double>);
static_assert(!cd::contains_v<List, float>);
static_assert(cd::index_of_v<List, int> == 0);
static_assert(cd::index_of_v<List, char> == 2);
static_assert(std::is_same_v<cd::element_t<List, 1>, double>);
static_assert(cd::is_unique_v<List>);
static_assert(!cd::is_unique_v<cd::TypeList<int, double, int>>);
static_assert(cd::is_unique_v<cd::TypeList<>>);
static_assert(std::is_same_v<cd::concat_t<List, cd::TypeList<float>, cd::TypeList<>>,
                             cd::TypeList<int, double, char, float>>);
static_assert(std::is_same_v<cd::concat_t<>, cd::TypeList<>>);
static_assert(std::is_same_v<cd::filter_t<List, std::is_integral>, cd::TypeList<int, char>>);
static_assert(std::is_same_v<cd::transform_t<cd::TypeList<int>, std::add_pointer>, cd::TypeList<int*>>);

BOOST_AUTO_TEST_CASE(for_each_type_visits_in_order_with_indices) {
  std::vector<std::string> seen;
  cd::for_each_type(List{}, [&]<class T, std::size_t I>() {
    seen.push_back(std::to_string(I) + ":" + std::to_string(sizeof(T)));
  });
  BOOST_TEST(seen == (std::vector<std::string>{"0:4", "1:8", "2:1"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
