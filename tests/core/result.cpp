#include <courier/core/result.hpp>
#include <courier/core/result.hpp>

#include <boost/test/unit_test.hpp>

#include <string>
#include <system_error>

BOOST_AUTO_TEST_SUITE(result_test)

BOOST_AUTO_TEST_CASE(a_value_reads_back) {
  courier::Result<std::string> r = std::string("token");
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(!r.error());
  BOOST_TEST(*r == "token");
  BOOST_TEST(r->size() == 5u);
}

BOOST_AUTO_TEST_CASE(an_error_is_loud_when_read_as_a_value) {
  const courier::Result<int> r = courier::Error::invalid_key;
  BOOST_TEST(!r);
  BOOST_TEST((r.error() == courier::Error::invalid_key));
  BOOST_CHECK_EXCEPTION((void)r.value(), std::system_error, [](const std::system_error& e) {
    return e.code() == courier::Error::invalid_key && std::string(e.what()).find("invalid key") != std::string::npos;
  });
}

BOOST_AUTO_TEST_SUITE_END()
