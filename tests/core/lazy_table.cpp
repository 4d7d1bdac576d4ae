// LazyTable: reads of untouched elements see the blank value; a write materialises the prefix
// up to it, growing the storage only as far as reached and keeping what was written; copies
// keep the same behaviour.

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

BOOST_AUTO_TEST_CASE(a_write_materialises_the_prefix_and_grows_only_as_far_as_reached) {
  LazyTable<std::uint32_t> t(1024, 7u);
  BOOST_TEST(t.capacity() == 0u);  // nothing held before the first write
  t[0] = 1;
  BOOST_TEST(t.capacity() == 16u);
  t[10] = 2;
  BOOST_TEST(t.touched() == 11u);
  BOOST_TEST(t.capacity() == 16u);
  BOOST_TEST(std::as_const(t)[0] == 1u);
  BOOST_TEST(std::as_const(t)[5] == 7u);  // skipped elements hold the blank value
  BOOST_TEST(std::as_const(t)[10] == 2u);
  BOOST_TEST(std::as_const(t)[11] == 7u);
  t[100] = 3;  // grows, keeping what was written
  BOOST_TEST(t.capacity() == 128u);
  BOOST_TEST(std::as_const(t)[0] == 1u);
  BOOST_TEST(std::as_const(t)[10] == 2u);
  BOOST_TEST(std::as_const(t)[50] == 7u);
  t[1023] = 4;
  BOOST_TEST(t.touched() == 1024u);
  BOOST_TEST(t.capacity() == 1024u);
  BOOST_TEST(std::as_const(t)[100] == 3u);
}

BOOST_AUTO_TEST_CASE(a_copy_holds_the_touched_prefix) {
  LazyTable<int> a(32, -1);
  a[2] = 5;
  LazyTable<int> b(a);
  BOOST_TEST(std::as_const(b)[2] == 5);
  BOOST_TEST(b.touched() == 3u);
  b[0] = 9;
  b[31] = 4;
  BOOST_TEST(std::as_const(a)[0] == -1);  // the original is untouched by the copy's writes
  a = b;
  BOOST_TEST(std::as_const(a)[31] == 4);
  BOOST_TEST(std::as_const(a)[0] == 9);
  BOOST_TEST(a.size() == 32u);
}

BOOST_AUTO_TEST_SUITE_END()
