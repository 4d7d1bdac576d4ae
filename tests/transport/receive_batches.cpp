// receive_batches: one update's reading ends when the transport is empty, at the count limit,
// or when its budget of real time is spent (an endless flood cannot hold an update forever).

#include <courier/transport/receive_batches.hpp>

#include <boost/test/unit_test.hpp>

#include <array>

using namespace courier;
using namespace std::chrono_literals;

namespace {

/// A transport that always has `left` more datagrams (endless when `left` starts huge).
struct Endless {
  std::size_t left = 0;
  std::error_code send(const Address&, std::span<const std::byte>) noexcept { return {}; }
  void flush() noexcept {}
  std::size_t receive(std::span<Datagram> slots) noexcept {
    const std::size_t n = std::min(slots.size(), left);
    for (std::size_t i = 0; i < n; ++i) slots[i].size = 1;
    left -= n;
    return n;
  }
  void update(TimePoint) noexcept {}
  [[nodiscard]] Address local_address() const noexcept { return {}; }
};
static_assert(Transport<Endless>);

}  // namespace

BOOST_AUTO_TEST_SUITE(receive_batches_test)

BOOST_AUTO_TEST_CASE(reads_until_the_transport_is_empty) {
  Endless t{1000};
  std::array<Datagram, 64> buffer;
  std::size_t seen = 0;
  BOOST_TEST(receive_batches(t, buffer, 1u << 20, Duration::zero(), [&](const Datagram&) { ++seen; }) == 1000u);
  BOOST_TEST(seen == 1000u);
}

BOOST_AUTO_TEST_CASE(stops_at_the_count_limit_and_leaves_the_rest) {
  Endless t{1000};
  std::array<Datagram, 64> buffer;
  BOOST_TEST(receive_batches(t, buffer, 100, Duration::zero(), [](const Datagram&) {}) == 100u);
  BOOST_TEST(t.left == 900u);
}

BOOST_AUTO_TEST_CASE(an_endless_flood_ends_when_the_time_budget_is_spent) {
  Endless t{~std::size_t{0}};
  std::array<Datagram, 64> buffer;
  const std::size_t n = receive_batches(t, buffer, ~std::size_t{0}, 1ms, [](const Datagram&) {});
  BOOST_TEST(n > 0u);                    // it returned (how many depends on the machine)
  BOOST_TEST(n % buffer.size() == 0u);   // and only between batches
}

BOOST_AUTO_TEST_SUITE_END()
