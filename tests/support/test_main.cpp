// The one Boost.Test main shared by every test executable.
#define BOOST_TEST_MODULE courier
#include <boost/test/unit_test.hpp>
