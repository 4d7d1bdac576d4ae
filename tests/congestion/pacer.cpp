// The pacer's token bucket (courier/reliable/pacer.hpp) and the burst the rate controller gives
// it: the configured burst at low rates, 1 ms of the pacing rate at high ones.
#include <boost/test/unit_test.hpp>

#include <courier/reliable/pacer.hpp>

using namespace std::chrono_literals;
using courier::TimePoint;
using courier::detail::Pacer;

BOOST_AUTO_TEST_SUITE(pacer_test)

// Packets leaving back to back at `now` until the pacer refuses one.
static int burst_at(Pacer& p, TimePoint now, std::uint32_t bytes) {
  int n = 0;
  while (p.ready(now) && n < 1000) {
    p.spend(now, bytes);
    ++n;
  }
  return n;
}

BOOST_AUTO_TEST_CASE(a_pause_turns_into_at_most_the_burst) {
  Pacer p(2400);
  TimePoint t{};
  p.set_rate(t, 125'000, 2400);
  t += 1s;  // a long pause: the bucket is full, not a second's worth of tokens
  BOOST_TEST(burst_at(p, t, 1200) == 2);
  BOOST_TEST(!p.ready(t));
  // A packet that takes the bucket below zero is paid back at the rate (9.6 ms per 1200 bytes).
  p.spend(t + 1ms, 1200);  // 125 bytes accrued, 1075 owed
  BOOST_TEST(!p.ready(t + 9ms));
  BOOST_TEST(p.ready(t + 10ms));
  BOOST_TEST(p.ready(p.next_time()));
}

BOOST_AUTO_TEST_CASE(a_larger_burst_lets_a_flush_hand_over_many_packets) {
  Pacer p(2400);
  TimePoint t{};
  p.set_rate(t, 100e6, 100'000);  // 100 MB/s: 1 ms is 100 KB
  t += 10ms;
  BOOST_TEST(burst_at(p, t, 1200) == 84);  // 100 000 / 1 200, rounded up: the last one goes into deficit
}

BOOST_AUTO_TEST_CASE(a_smaller_burst_cuts_what_accrued) {
  Pacer p(100'000);
  TimePoint t{};
  p.set_rate(t, 100e6, 100'000);
  t += 10ms;
  p.set_rate(t, 125'000, 2400);  // the rate fell: what accrued above the new burst is gone
  BOOST_TEST(burst_at(p, t, 1200) == 2);
}

BOOST_AUTO_TEST_SUITE_END()
