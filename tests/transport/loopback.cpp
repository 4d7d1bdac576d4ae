#include <courier/transport/loopback.hpp>
#include <courier/transport/transport.hpp>

#include <boost/test/unit_test.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <system_error>
#include <utility>
#include <vector>

using courier::Address;
using courier::Datagram;
using courier::Loopback;
using courier::LoopbackNetwork;

static_assert(courier::Transport<Loopback>);

namespace {

const Address server_address = Address::ipv4(127, 0, 0, 1, 40000);
const Address client_address = Address::ipv4(127, 0, 0, 1, 40001);

std::vector<std::byte> payload(std::size_t size, std::uint8_t seed) {
  std::vector<std::byte> bytes(size);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::byte>(seed + i);
  return bytes;
}

std::error_code bind_error(LoopbackNetwork& network, Address address) {
  try {
    Loopback endpoint(network, address);
  } catch (const std::system_error& e) {
    return e.code();
  }
  return {};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(loopback_test)

BOOST_AUTO_TEST_CASE(datagrams_arrive_in_order_with_sender_and_bytes) {
  LoopbackNetwork network;
  Loopback server(network, server_address);
  Loopback client(network, client_address);
  for (std::uint8_t i = 0; i < 5; ++i) {
    BOOST_TEST(!client.send(server_address, payload(10 + i, i)));
  }
  std::array<Datagram, 8> slots;
  BOOST_TEST(server.receive(slots) == 5u);
  for (std::uint8_t i = 0; i < 5; ++i) {
    BOOST_TEST((slots[i].from == client_address));
    const auto expected = payload(10 + i, i);
    BOOST_TEST(slots[i].bytes().size() == expected.size());
    BOOST_TEST(std::equal(expected.begin(), expected.end(), slots[i].bytes().begin()));
  }
  BOOST_TEST(server.receive(slots) == 0u);
  BOOST_TEST(client.stats().datagrams_sent == 5u);
  BOOST_TEST(client.stats().bytes_sent == 10u + 11 + 12 + 13 + 14);
  BOOST_TEST(server.stats().datagrams_received == 5u);
  BOOST_TEST(server.stats().bytes_received == 10u + 11 + 12 + 13 + 14);
}

BOOST_AUTO_TEST_CASE(receive_fills_at_most_the_slots_given) {
  LoopbackNetwork network;
  Loopback a(network, server_address);
  Loopback b(network, client_address);
  for (std::uint8_t i = 0; i < 3; ++i) BOOST_TEST(!b.send(server_address, payload(1, i)));
  std::array<Datagram, 2> two;
  BOOST_TEST(a.receive(two) == 2u);
  BOOST_TEST(a.pending() == 1u);
  BOOST_TEST(a.receive(two) == 1u);
  BOOST_TEST(std::to_integer<int>(two[0].data[0]) == 2);
  BOOST_TEST(a.receive(std::span<Datagram>{}) == 0u);
}

BOOST_AUTO_TEST_CASE(empty_and_largest_datagrams_pass_too_large_is_refused) {
  LoopbackNetwork network;
  Loopback a(network, server_address);
  Loopback b(network, client_address);
  BOOST_TEST(!b.send(server_address, {}));
  BOOST_TEST(!b.send(server_address, payload(courier::max_datagram_bytes, 1)));
  BOOST_TEST((b.send(server_address, payload(courier::max_datagram_bytes + 1, 1)) ==
              courier::Error::message_too_large));
  BOOST_TEST((b.send(Address{}, payload(1, 1)) == courier::Error::invalid_address));
  std::array<Datagram, 4> slots;
  BOOST_TEST(a.receive(slots) == 2u);
  BOOST_TEST(slots[0].size == 0u);
  BOOST_TEST(slots[1].size == courier::max_datagram_bytes);
  BOOST_TEST(b.stats().datagrams_sent == 2u);
}

BOOST_AUTO_TEST_CASE(unbound_destination_is_dropped_and_counted) {
  LoopbackNetwork network;
  Loopback a(network, client_address);
  BOOST_TEST(!a.send(server_address, payload(4, 0)));  // no error, as with UDP
  BOOST_TEST(network.stats().unreachable == 1u);
  BOOST_TEST(network.stats().delivered == 0u);
  // Same host, other family: another address, also unbound.
  BOOST_TEST(!a.send(*Address::parse("[::1]:40000"), payload(4, 0)));
  BOOST_TEST(network.stats().unreachable == 2u);
}

BOOST_AUTO_TEST_CASE(full_inbox_drops_and_counts) {
  LoopbackNetwork network(4);
  Loopback a(network, server_address);
  Loopback b(network, client_address);
  for (std::uint8_t i = 0; i < 6; ++i) BOOST_TEST(!b.send(server_address, payload(1, i)));
  BOOST_TEST(network.stats().delivered == 4u);
  BOOST_TEST(network.stats().inbox_full == 2u);
  BOOST_TEST(a.stats().drops[courier::DropReason::queue_full] == 2u);
  std::array<Datagram, 8> slots;
  BOOST_TEST(a.receive(slots) == 4u);
  BOOST_TEST(std::to_integer<int>(slots[3].data[0]) == 3);  // the oldest four were kept
  // The ring wraps around correctly after draining.
  for (std::uint8_t i = 10; i < 13; ++i) BOOST_TEST(!b.send(server_address, payload(1, i)));
  BOOST_TEST(a.receive(slots) == 3u);
  BOOST_TEST(std::to_integer<int>(slots[0].data[0]) == 10);
  BOOST_TEST(std::to_integer<int>(slots[2].data[0]) == 12);
}

BOOST_AUTO_TEST_CASE(binding_a_taken_address_throws_address_in_use) {
  LoopbackNetwork network;
  Loopback a(network, server_address);
  BOOST_TEST((bind_error(network, server_address) == courier::Error::address_in_use));
  BOOST_TEST((bind_error(network, Address{}) == courier::Error::invalid_address));
  BOOST_TEST(!bind_error(network, *Address::parse("[::1]:40000")));  // other family: free
}

BOOST_AUTO_TEST_CASE(port_zero_gets_distinct_free_ports) {
  LoopbackNetwork network;
  Loopback taken(network, Address::ipv4(127, 0, 0, 1, 49152));
  Loopback a(network, Address::ipv4(127, 0, 0, 1, 0));
  Loopback b(network, Address::ipv4(127, 0, 0, 1, 0));
  BOOST_TEST(a.local_address().port() != 0);
  BOOST_TEST(b.local_address().port() != 0);
  BOOST_TEST(a.local_address().port() != 49152);
  BOOST_TEST(a.local_address().port() != b.local_address().port());
  BOOST_TEST(!b.send(a.local_address(), payload(3, 0)));
  std::array<Datagram, 1> slot;
  BOOST_TEST(a.receive(slot) == 1u);
  BOOST_TEST((slot[0].from == b.local_address()));
}

BOOST_AUTO_TEST_CASE(destruction_unbinds_and_moves_keep_the_binding) {
  LoopbackNetwork network;
  {
    Loopback a(network, server_address);
    BOOST_TEST(network.is_bound(server_address));
  }
  BOOST_TEST(!network.is_bound(server_address));

  Loopback sender(network, client_address);
  Loopback original(network, server_address);
  BOOST_TEST(!sender.send(server_address, payload(2, 7)));
  Loopback moved(std::move(original));
  BOOST_TEST(network.is_bound(server_address));
  BOOST_TEST((moved.local_address() == server_address));
  std::array<Datagram, 2> slots;
  BOOST_TEST(moved.receive(slots) == 1u);  // what arrived before the move is still there
  BOOST_TEST((original.send(server_address, payload(1, 0)) == courier::Error::not_connected));  // NOLINT(bugprone-use-after-move)
  BOOST_TEST(original.receive(slots) == 0u);

  Loopback other(network, Address::ipv4(127, 0, 0, 1, 40002));
  other = std::move(moved);  // releases 40002, takes over 40000
  BOOST_TEST(!network.is_bound(Address::ipv4(127, 0, 0, 1, 40002)));
  BOOST_TEST(network.is_bound(server_address));
  BOOST_TEST(!sender.send(server_address, payload(2, 8)));
  BOOST_TEST(other.receive(slots) == 1u);
}

BOOST_AUTO_TEST_CASE(zero_inbox_capacity_is_a_config_error) {
  BOOST_CHECK_EXCEPTION(LoopbackNetwork(0), std::system_error, [](const std::system_error& e) {
    return e.code() == courier::Error::invalid_config;
  });
}

BOOST_AUTO_TEST_SUITE_END()
