// The full soak (label `soak`, skipped by CI): 1 000 000 ordered messages over the harsh link.
#include <boost/test/unit_test.hpp>

#include <chrono>

#include "channel/soak_driver.hpp"

BOOST_AUTO_TEST_SUITE(connection_soak_test)

BOOST_AUTO_TEST_CASE(one_million_messages_over_a_harsh_link) {
  const auto start = std::chrono::steady_clock::now();
  const auto r = courier::test::run_soak(20240601, 1'000'000);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  BOOST_TEST_MESSAGE("wall time " << wall << " s");
  courier::test::check_soak(r, 1'000'000, 20240601);
}

BOOST_AUTO_TEST_SUITE_END()
