// The garbage flood (flood.hpp), short: 8 clients for 20 simulated seconds. flood_soak.cpp runs
// the long one.
#include "adversarial/flood.hpp"

BOOST_AUTO_TEST_SUITE(flood_test)

BOOST_AUTO_TEST_CASE(ten_percent_garbage_disconnects_no_one_and_loses_nothing) {
  courier::adversarial::run_flood(8, std::chrono::seconds(20));
}

BOOST_AUTO_TEST_SUITE_END()
