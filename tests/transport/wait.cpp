// Waiting for input: a loop waits on its transports between updates and wakes when a datagram
// arrives. Only outcomes are checked, never how long a wait took (shared machines are noisy).

#include <courier/transport/loopback.hpp>
#include <courier/transport/simulated.hpp>
#include <courier/transport/udp.hpp>
#include <courier/transport/wait.hpp>

#include <boost/test/unit_test.hpp>

#include <array>
#include <thread>

using namespace courier;
using namespace std::chrono_literals;

namespace {

Udp bound() { return Udp(*Address::parse("127.0.0.1:0")); }

void send_one(Udp& from, const Udp& to) {
  const std::array<std::byte, 4> bytes{std::byte{1}, std::byte{2}, std::byte{3}, std::byte{4}};
  BOOST_REQUIRE(!from.send(to.local_address(), bytes));
  from.flush();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(wait_test)

BOOST_AUTO_TEST_CASE(which_transports_can_be_waited_for) {
  static_assert(Pollable<Udp>);
  static_assert(!Pollable<Loopback>);
  static_assert(!Pollable<Simulated<Udp>>);  // it releases datagrams by time: it sleeps instead
}

BOOST_AUTO_TEST_CASE(a_wait_with_nothing_to_read_times_out) {
  Udp a = bound();
  BOOST_TEST(!wait_for_input(5ms, a));
  BOOST_TEST(!wait_for_input(Duration::zero(), a));
  BOOST_TEST(!wait_for_input(-1ms, a));  // a deadline already past: a check, no wait
}

BOOST_AUTO_TEST_CASE(a_datagram_already_waiting_ends_the_wait) {
  Udp a = bound(), b = bound();
  send_one(a, b);
  BOOST_TEST(wait_for_input(10s, b));  // would take 10 s if it did not wake
  std::array<Datagram, 4> slots;
  BOOST_TEST(b.receive(slots) == 1u);
  BOOST_TEST(!wait_for_input(Duration::zero(), b));
}

BOOST_AUTO_TEST_CASE(a_datagram_arriving_during_the_wait_ends_it) {
  Udp a = bound(), b = bound();
  std::thread sender([&] {
    std::this_thread::sleep_for(20ms);
    send_one(a, b);
  });
  const bool woke = wait_for_input(30s, b);
  sender.join();
  BOOST_TEST(woke);
}

BOOST_AUTO_TEST_CASE(any_of_several_transports_ends_the_wait) {
  Udp a = bound(), b = bound(), c = bound();
  send_one(a, c);
  BOOST_TEST(wait_for_input(10s, b, c));
  BOOST_TEST(wait_for_input(10s, c, b));
}

BOOST_AUTO_TEST_CASE(a_transport_that_cannot_be_polled_makes_it_a_sleep) {
  LoopbackNetwork net(8);
  Loopback l(net, *Address::parse("10.0.0.1:1"));
  Udp a = bound(), b = bound();
  send_one(a, b);
  BOOST_TEST(!wait_for_input(1ms, l, b));  // slept 1 ms: no way to know what is readable
  std::array<Datagram, 4> slots;
  BOOST_TEST(b.receive(slots) == 1u);      // the datagram is still there
}

BOOST_AUTO_TEST_CASE(a_moved_from_udp_is_skipped) {
  Udp a = bound();
  Udp moved = std::move(a);
  BOOST_TEST(a.native_handle() == -1);  // NOLINT(bugprone-use-after-move): the point of the test
  BOOST_TEST(!wait_for_input(1ms, a));
  (void)moved;
}

BOOST_AUTO_TEST_SUITE_END()
