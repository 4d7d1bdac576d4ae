// StatusTable: records never used are handed out first, in index order; then only final ones
// are reused, oldest final first; an unfinished record is never overwritten and a reused
// record's old handle reads `unknown`.

#include <boost/test/unit_test.hpp>

#include <optional>
#include <vector>

#include <courier/channel/detail/status_table.hpp>

using namespace courier;
using courier::detail::StatusTable;

namespace {
bool is(DeliveryStatus s, DeliveryState want) { return s.state == want; }
}  // namespace

BOOST_AUTO_TEST_SUITE(status_table_test)

BOOST_AUTO_TEST_CASE(fresh_records_first_then_the_oldest_final_one) {
  StatusTable t(4);
  std::vector<MessageHandle> h;
  for (int i = 0; i < 4; ++i) {
    const auto a = t.acquire();
    BOOST_REQUIRE(a.has_value());
    BOOST_TEST(a->index == static_cast<std::uint32_t>(i));
    h.push_back(*a);
  }
  BOOST_TEST(t.unfinished() == 4u);
  BOOST_TEST(!t.available());
  BOOST_TEST(!t.acquire().has_value());  // every record is unfinished: none is overwritten

  t.mark_sent(h[1].index);
  BOOST_TEST(is(t.get(h[1]), DeliveryState::sent));
  t.set(h[2].index, {DeliveryState::acked, Error::ok});
  t.set(h[0].index, {DeliveryState::lost, Error::ok});
  t.set(h[2].index, {DeliveryState::lost, Error::ok});  // the first final status stays
  BOOST_TEST(is(t.get(h[2]), DeliveryState::acked));
  BOOST_TEST(t.unfinished() == 2u);

  const auto r1 = t.acquire();  // oldest final first: record 2 became final before record 0
  BOOST_REQUIRE(r1.has_value());
  BOOST_TEST(r1->index == 2u);
  BOOST_TEST(is(t.get(h[2]), DeliveryState::unknown));  // the reused record's old handle
  BOOST_TEST(is(t.get(*r1), DeliveryState::queued));
  const auto r2 = t.acquire();
  BOOST_REQUIRE(r2.has_value());
  BOOST_TEST(r2->index == 0u);
  BOOST_TEST(!t.acquire().has_value());
  BOOST_TEST(t.unfinished() == 4u);
}

BOOST_AUTO_TEST_CASE(handles_outside_the_table_read_unknown) {
  StatusTable t(8);
  BOOST_TEST(is(t.get(MessageHandle{}), DeliveryState::unknown));
  BOOST_TEST(is(t.get(MessageHandle{3, 1}), DeliveryState::unknown));  // never handed out
  BOOST_TEST(is(t.get(MessageHandle{99, 1}), DeliveryState::unknown));
  BOOST_TEST(t.unfinished() == 0u);
  BOOST_TEST(t.available());
}

BOOST_AUTO_TEST_SUITE_END()
