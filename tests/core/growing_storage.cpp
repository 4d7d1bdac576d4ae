// GrowingStorage / TableMeter / MeterScope: storage starts empty, grows to powers of two (at
// least a few cache lines, at most its size) keeping what it was told to keep, and reports what
// it holds and could hold to the meter that was filling when it was built, for its whole life.

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <memory>
#include <utility>

#include <courier/core/growing_storage.hpp>
#include <courier/reliable/byte_buffer.hpp>

using namespace courier::detail;

BOOST_AUTO_TEST_SUITE(growing_storage_test)

BOOST_AUTO_TEST_CASE(storage_starts_empty_and_grows_in_powers_of_two_up_to_its_size) {
  GrowingStorage<std::uint32_t> s(100);
  BOOST_TEST(s.size() == 100u);
  BOOST_TEST(s.capacity() == 0u);
  BOOST_TEST(s.data() == nullptr);
  std::uint32_t* p = s.reach(1, 0);
  BOOST_TEST(s.capacity() == 16u);  // 64 bytes at least
  p[0] = 11;
  p[15] = 12;
  BOOST_TEST(s.reach(16, 16) == p);  // within its room: no move
  p = s.reach(17, 16);
  BOOST_TEST(s.capacity() == 32u);
  BOOST_TEST(p[0] == 11u);  // kept
  BOOST_TEST(p[15] == 12u);
  s.reach(65, 32);
  BOOST_TEST(s.capacity() == 100u);  // capped at the size, not 128
  BOOST_TEST(s.data()[0] == 11u);
}

BOOST_AUTO_TEST_CASE(a_meter_counts_held_and_limit_bytes_for_the_storage_life) {
  TableMeter meter;
  {
    const MeterScope scope(meter);
    GrowingStorage<std::uint64_t> a(64);
    BOOST_TEST(meter.limit_bytes == 64u * 8);
    BOOST_TEST(meter.held_bytes == 0u);
    a.reach(3, 0);
    BOOST_TEST(meter.held_bytes == 8u * 8);
    GrowingStorage<std::uint64_t> b(std::move(a));  // a move keeps reporting
    b.reach(9, 3);
    BOOST_TEST(meter.held_bytes == 16u * 8);
    a = std::move(b);
    BOOST_TEST(meter.held_bytes == 16u * 8);
    BOOST_TEST(meter.limit_bytes == 64u * 8);
  }
  BOOST_TEST(meter.held_bytes == 0u);
  BOOST_TEST(meter.limit_bytes == 0u);
  GrowingStorage<std::uint64_t> outside(8);  // no scope: not counted
  outside.reach(8, 0);
  BOOST_TEST(meter.held_bytes == 0u);
}

BOOST_AUTO_TEST_CASE(scopes_nest_and_restore) {
  BOOST_TEST(filling_meter == nullptr);
  TableMeter outer, inner;
  {
    const MeterScope a(outer);
    BOOST_TEST(filling_meter == &outer);
    {
      const MeterScope b(inner);
      BOOST_TEST(filling_meter == &inner);
    }
    BOOST_TEST(filling_meter == &outer);
  }
  BOOST_TEST(filling_meter == nullptr);
}

BOOST_AUTO_TEST_CASE(a_member_meter_counts_until_done) {
  auto m = std::make_unique<MemberMeter>();
  BOOST_TEST(filling_meter == &m->meter());
  m->done();
  BOOST_TEST(filling_meter == nullptr);
  m.reset();
  {
    MemberMeter unfinished;  // an owner whose constructor threw: the scope ends with it
  }
  BOOST_TEST(filling_meter == nullptr);
}

BOOST_AUTO_TEST_CASE(a_byte_buffer_keeps_what_was_reached_when_it_grows) {
  ByteBuffer b(4096);
  BOOST_TEST(b.reached() == 0u);
  std::byte* p = b.reach(10);
  for (int i = 0; i < 10; ++i) p[i] = std::byte(i + 1);
  p = b.reach(3000);
  BOOST_TEST(b.reached() == 3000u);
  for (int i = 0; i < 10; ++i) BOOST_TEST(std::to_integer<int>(p[i]) == i + 1);
  BOOST_TEST(b.reach(5) == p);  // reaching less never moves it
  BOOST_TEST(b.reached() == 3000u);
  p[3999] = std::byte{1};       // 4096 of room by now (a power of two ≥ 3000)
}

BOOST_AUTO_TEST_SUITE_END()
