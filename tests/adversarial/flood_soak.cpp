// The garbage flood (flood.hpp), soak: 32 clients for 10 simulated minutes (label soak:
// COURIER_SOAK=1 bash scripts/test.sh, or ctest -L soak).
#include "adversarial/flood.hpp"

BOOST_AUTO_TEST_SUITE(flood_soak_test)

BOOST_AUTO_TEST_CASE(ten_percent_garbage_for_ten_minutes) {
  courier::adversarial::run_flood(32, std::chrono::minutes(10));
}

BOOST_AUTO_TEST_SUITE_END()
