#include <courier/core/error.hpp>
#include <courier/core/drop_reason.hpp>

#include <boost/test/unit_test.hpp>

BOOST_AUTO_TEST_SUITE(error_test)

BOOST_AUTO_TEST_CASE(errors_convert_to_error_code_with_message) {
  std::error_code ec = courier::Error::address_in_use;
  BOOST_TEST(ec.category().name() == std::string("courier"));
  BOOST_TEST(ec.message() == "address already in use");
  BOOST_TEST(static_cast<bool>(ec));
  BOOST_TEST(!std::error_code(courier::Error::ok));
  BOOST_TEST((ec == courier::Error::address_in_use));
}

BOOST_AUTO_TEST_CASE(errors_are_grouped_by_origin) {
  using courier::Error;
  using courier::ErrorOrigin;
  BOOST_TEST((courier::origin_of(Error::ok) == ErrorOrigin::none));
  BOOST_TEST((courier::origin_of(Error::send_queue_full) == ErrorOrigin::local));
  BOOST_TEST((courier::origin_of(Error::protocol_violation) == ErrorOrigin::remote));
  BOOST_TEST((courier::origin_of(Error::rejected_by_application) == ErrorOrigin::application));
}

BOOST_AUTO_TEST_CASE(every_error_has_its_own_description) {
  for (int v : {100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114,
                200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 300, 301}) {
    BOOST_TEST(std::string(courier::describe(static_cast<courier::Error>(v))) != "unknown courier error");
  }
}

BOOST_AUTO_TEST_CASE(drop_counters_count_by_reason) {
  courier::DropCounters drops;
  drops.count(courier::DropReason::replayed);
  drops.count(courier::DropReason::replayed);
  drops.count(courier::DropReason::too_small);
  BOOST_TEST(drops[courier::DropReason::replayed] == 2u);
  BOOST_TEST(drops[courier::DropReason::decrypt_failed] == 0u);
  BOOST_TEST(drops.total() == 3u);
  for (std::size_t i = 0; i < courier::drop_reason_count; ++i)
    BOOST_TEST(std::string(courier::describe(static_cast<courier::DropReason>(i))) != "unknown");
}

BOOST_AUTO_TEST_SUITE_END()
