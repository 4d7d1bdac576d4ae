#include <courier/core/clock.hpp>
#include <courier/core/manual_clock.hpp>
#include <courier/core/steady_clock.hpp>

#include <boost/test/unit_test.hpp>

static_assert(courier::Clock<courier::SteadyClock>);
static_assert(courier::Clock<courier::ManualClock>);

BOOST_AUTO_TEST_SUITE(clock_test)

using namespace std::chrono_literals;

BOOST_AUTO_TEST_CASE(manual_clock_moves_only_when_told) {
  courier::ManualClock clock(1'700'000'000);
  BOOST_TEST(clock.now().time_since_epoch().count() == 0);
  BOOST_TEST(clock.unix_now() == 1'700'000'000u);
  clock.advance(1500ms);
  BOOST_TEST(courier::to_seconds(clock.now().time_since_epoch()) == 1.5);
  BOOST_TEST(clock.unix_now() == 1'700'000'001u);
  clock.advance(-10s);  // ignored: time never goes backwards
  BOOST_TEST(courier::to_seconds(clock.now().time_since_epoch()) == 1.5);
  clock.set_unix_now(2'000'000'000);
  BOOST_TEST(clock.unix_now() == 2'000'000'000u);
  clock.advance(1s);
  BOOST_TEST(clock.unix_now() == 2'000'000'001u);
}

BOOST_AUTO_TEST_CASE(steady_clock_is_monotonic_and_near_wall_time) {
  courier::SteadyClock clock;
  auto a = clock.now();
  auto b = clock.now();
  BOOST_TEST((b >= a));
  BOOST_TEST(clock.unix_now() > 1'600'000'000u);  // after 2020
}

BOOST_AUTO_TEST_SUITE_END()
