// The CI-sized soak: 40 000 ordered messages per seed over the harsh simulated link.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "channel/soak_driver.hpp"

BOOST_AUTO_TEST_SUITE(lossy_link_test)

BOOST_DATA_TEST_CASE(ordered_exactly_once_sequenced_never_back_acked_means_delivered,
                     boost::unit_test::data::xrange(1, 4), seed) {
  const auto r = courier::test::run_soak(static_cast<std::uint64_t>(seed), 40000);
  courier::test::check_soak(r, 40000, static_cast<std::uint64_t>(seed));
}

BOOST_AUTO_TEST_SUITE_END()
