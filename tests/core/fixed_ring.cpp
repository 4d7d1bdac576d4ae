// FixedRing: a bounded FIFO whose elements are constructed on first use, in order.

#include <courier/core/fixed_ring.hpp>

#include <boost/test/unit_test.hpp>

#include <array>

using courier::detail::FixedRing;

namespace {

int constructed = 0;
struct Counted {
  Counted() { ++constructed; }
  int value = 0;
  std::array<char, 1200> body;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(fixed_ring_test)

BOOST_AUTO_TEST_CASE(a_fifo_that_refuses_when_full_and_wraps) {
  FixedRing<int> r(3);
  BOOST_TEST(r.capacity() == 3u);
  BOOST_TEST(r.push(1));
  BOOST_TEST(r.push(2));
  BOOST_TEST(r.push(3));
  BOOST_TEST(!r.push(4));
  BOOST_TEST(*r.take() == 1);
  BOOST_TEST(r.push(4));  // wraps to position 0
  BOOST_TEST(*r.take() == 2);
  BOOST_TEST(*r.take() == 3);
  BOOST_TEST(*r.take() == 4);
  BOOST_TEST(!r.take());
  for (int round = 0; round < 10; ++round) {  // many wraps, sizes 1..3
    for (int k = 0; k <= round % 3; ++k) BOOST_REQUIRE(r.push(10 * round + k));
    for (int k = 0; k <= round % 3; ++k) BOOST_REQUIRE(*r.take() == 10 * round + k);
  }
  BOOST_TEST(r.empty());
}

BOOST_AUTO_TEST_CASE(elements_are_constructed_only_when_first_used) {
  constructed = 0;
  FixedRing<Counted> r(1024);
  BOOST_TEST(constructed == 0);
  for (int i = 0; i < 5; ++i) {
    Counted* slot = r.back_slot();
    BOOST_REQUIRE(slot != nullptr);
    slot->value = i;
    r.commit();
    r.pop();
  }
  BOOST_TEST(constructed == 5);
  Counted* again = r.back_slot();  // not committed: asking again gives the same slot
  BOOST_TEST(again == r.back_slot());
  BOOST_TEST(constructed == 6);
}

BOOST_AUTO_TEST_CASE(every_position_is_constructed_once_however_it_is_used) {
  constructed = 0;
  FixedRing<Counted> r(4);
  for (int i = 0; i < 100; ++i) {
    BOOST_REQUIRE(r.back_slot() != nullptr);
    r.commit();
    if (i % 3 == 0) r.pop();
    if (r.size() == 4) r.pop();
  }
  BOOST_TEST(constructed == 4);
}

BOOST_AUTO_TEST_CASE(zero_capacity_holds_nothing) {
  FixedRing<int> r(0);
  BOOST_TEST(!r.push(1));
  BOOST_TEST(r.back_slot() == nullptr);
  r.pop();
  BOOST_TEST(r.empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(elements_keep_their_address_as_the_ring_grows_across_chunks) {
  constructed = 0;
  FixedRing<Counted> r(100);  // 1.2 KB elements: several chunks
  Counted* first = r.back_slot();
  first->value = 7;
  r.commit();
  for (int i = 1; i < 100; ++i) {
    BOOST_REQUIRE(r.back_slot() != nullptr);
    r.back_slot()->value = i;
    r.commit();
  }
  BOOST_TEST(r.back_slot() == nullptr);
  BOOST_TEST(constructed == 100);
  BOOST_TEST(r.front() == first);
  BOOST_TEST(r.front()->value == 7);
  for (int i = 0; i < 100; ++i) {
    BOOST_REQUIRE(r.front() != nullptr);
    BOOST_TEST(r.front()->value == (i == 0 ? 7 : i));
    r.pop();
  }
  FixedRing<Counted> moved(std::move(r));
  BOOST_TEST(moved.capacity() == 100u);
  BOOST_TEST(moved.back_slot() == first);  // wrapped to position 0, same storage
}
