// Multi<Parts...> over Loopback parts (no sockets): it is a Transport; send routes by the
// destination's link kind (datagram parts by default, others only when a part says it carries
// them); receive drains every part, starting with a different part each call so that a busy
// part cannot starve the others; local_address is the first part's; get<I> reaches each part.
// Multi reports unreachable peers only when a part can.

#include <courier/transport/loopback.hpp>
#include <courier/transport/multi.hpp>
#include <courier/transport/transport.hpp>
#include <courier/transport/unreachable.hpp>

#include <boost/test/unit_test.hpp>

#include <array>
#include <cstddef>
#include <deque>
#include <optional>
#include <span>
#include <utility>

using namespace courier;

namespace {

/// A Loopback that claims the websocket link and reports what it is told is unreachable.
class LinkedLoopback {
 public:
  LinkedLoopback(LoopbackNetwork& network, Address address) : inner_(network, address) {}
  std::error_code send(const Address& to, std::span<const std::byte> bytes) noexcept {
    return inner_.send(to.with_link(Address::Link::datagram), bytes);
  }
  void flush() noexcept { inner_.flush(); }
  std::size_t receive(std::span<Datagram> slots) noexcept { return inner_.receive(slots); }
  void update(TimePoint now) noexcept { inner_.update(now); }
  [[nodiscard]] Address local_address() const noexcept { return inner_.local_address(); }
  [[nodiscard]] bool carries(Address::Link link) const noexcept { return link == Address::Link::websocket; }
  [[nodiscard]] std::optional<Address> take_unreachable() noexcept {
    if (lost_.empty()) return std::nullopt;
    const Address a = lost_.front();
    lost_.pop_front();
    return a;
  }
  std::deque<Address> lost_;

 private:
  Loopback inner_;
};

const Address a_address = Address::ipv4(10, 0, 0, 1, 1);
const Address b_address = Address::ipv4(10, 0, 0, 1, 2);
const Address peer_address = Address::ipv4(10, 0, 0, 2, 1);

const std::array<std::byte, 3> bytes{std::byte{1}, std::byte{2}, std::byte{3}};

}  // namespace

static_assert(Transport<Multi<Loopback, Loopback>>);
static_assert(Transport<Multi<Loopback, LinkedLoopback>>);
static_assert(!ReportsUnreachable<Multi<Loopback, Loopback>>);
static_assert(ReportsUnreachable<Multi<Loopback, LinkedLoopback>>);

BOOST_AUTO_TEST_SUITE(multi_test)

BOOST_AUTO_TEST_CASE(send_goes_to_the_part_that_carries_the_link) {
  LoopbackNetwork network;
  Multi<Loopback, LinkedLoopback> multi(Loopback(network, a_address), LinkedLoopback(network, b_address));
  Loopback peer(network, peer_address);
  BOOST_TEST((multi.local_address() == a_address));
  BOOST_TEST(!multi.send(peer_address, bytes));
  BOOST_TEST(!multi.send(peer_address.with_link(Address::Link::websocket), bytes));
  BOOST_TEST((multi.send(peer_address.with_link(Address::Link::websocket_secure), bytes) == Error::invalid_address));
  multi.flush();
  std::array<Datagram, 4> got;
  BOOST_REQUIRE(peer.receive(got) == 2u);
  BOOST_TEST((got[0].from == a_address), "datagram link: the first part");
  BOOST_TEST((got[1].from == b_address), "websocket link: the part that carries it");
}

BOOST_AUTO_TEST_CASE(receive_drains_every_part_and_rotates_the_first) {
  LoopbackNetwork network;
  Multi<Loopback, LinkedLoopback> multi(Loopback(network, a_address), LinkedLoopback(network, b_address));
  Loopback to_a(network, peer_address);  // each part hears its own peer
  Loopback to_b(network, Address::ipv4(10, 0, 0, 2, 2));
  for (int i = 0; i < 3; ++i) {
    BOOST_TEST(!to_a.send(a_address, bytes));
    BOOST_TEST(!to_b.send(b_address, bytes));
  }
  to_a.flush();
  to_b.flush();
  std::array<Datagram, 1> one;
  std::array<Address, 4> to{};
  for (auto& t : to) {
    BOOST_REQUIRE(multi.receive(one) == 1u);
    t = one[0].from;
  }
  // One slot per call: the parts take turns, so neither starves.
  BOOST_TEST(!(to[0] == to[1]));
  BOOST_TEST(!(to[1] == to[2]));
  std::array<Datagram, 8> rest;
  BOOST_TEST(multi.receive(rest) == 2u);
  BOOST_TEST(multi.receive(rest) == 0u);
}

BOOST_AUTO_TEST_CASE(parts_are_reachable_and_report_unreachable_peers) {
  LoopbackNetwork network;
  Multi<Loopback, LinkedLoopback> multi(Loopback(network, a_address), LinkedLoopback(network, b_address));
  BOOST_TEST((multi.get<1>().local_address() == b_address));
  multi.get<1>().lost_.push_back(peer_address);
  const auto lost = take_unreachable(multi);
  BOOST_REQUIRE(lost.has_value());
  BOOST_TEST((*lost == peer_address));
  BOOST_TEST(!take_unreachable(multi).has_value());
  Multi<Loopback> plain(Loopback(network, Address::ipv4(10, 0, 0, 3, 1)));
  BOOST_TEST(!take_unreachable(plain).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
