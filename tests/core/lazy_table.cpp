// LazyTable: reads of untouched elements see the blank value; a write materialises the prefix
// up to it without reallocating (element addresses stay put); copies keep the same behaviour.

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <utility>

#include <courier/core/lazy_table.hpp>

using courier::detail::LazyTable;

BOOST_AUTO_TEST_SUITE(lazy_table_test)

BOOST_AUTO_TEST_CASE(untouched_elements_read_as_blank) {
  const LazyTable<std::uint32_t> t(64, 0xFFFFFFFFu);
  BOOST_TEST(t.size() == 64u);
  BOOST_TEST(t.touched() == 0u);
  BOOST_TEST(t[0] == 0xFFFFFFFFu);
  BOOST_TEST(t[63] == 0xFFFFFFFFu);
  BOOST_TEST(t.touched() == 0u);  // const reads never write
}

BOOST_AUTO_TEST_CASE(a_write_materialises_the_prefix_in_place) {
  LazyTable<std::uint32_t> t(64, 7u);
  t[0] = 1;
  const std::uint32_t* storage = t.data();
  t[10] = 2;
  BOOST_TEST(t.touched() == 11u);
  BOOST_TEST(t.data() == storage);  // grew inside the reserved storage
  BOOST_TEST(std::as_const(t)[0] == 1u);
  BOOST_TEST(std::as_const(t)[5] == 7u);  // skipped elements hold the blank value
  BOOST_TEST(std::as_const(t)[10] == 2u);
  BOOST_TEST(std::as_const(t)[11] == 7u);
  t[63] = 3;
  BOOST_TEST(t.touched() == 64u);
  BOOST_TEST(t.data() == storage);
}

BOOST_AUTO_TEST_CASE(a_copy_reserves_its_full_size) {
  LazyTable<int> a(32, -1);
  a[2] = 5;
  LazyTable<int> b(a);
  BOOST_TEST(std::as_const(b)[2] == 5);
  BOOST_TEST(b.touched() == 3u);
  b[0] = 9;
  const int* storage = b.data();
  b[31] = 4;
  BOOST_TEST(b.data() == storage);
  BOOST_TEST(std::as_const(a)[0] == -1);  // the original is untouched by the copy's writes
  a = b;
  BOOST_TEST(std::as_const(a)[31] == 4);
  BOOST_TEST(a.size() == 32u);
}

BOOST_AUTO_TEST_SUITE_END()
