#include <courier/transport/transport.hpp>
#include <courier/transport/udp.hpp>

#include <boost/test/unit_test.hpp>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

using courier::Address;
using courier::Datagram;
using courier::Error;
using courier::Udp;
using courier::UdpConfig;

static_assert(courier::Transport<Udp>);

namespace {

const Address any_v4 = Address::ipv4(127, 0, 0, 1, 0);
const Address any_v6 = Address::ipv6({0, 0, 0, 0, 0, 0, 0, 1}, 0);

std::vector<std::byte> payload(std::size_t size, std::uint32_t tag) {
  std::vector<std::byte> bytes(size);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::byte>(tag * 31 + i);
  return bytes;
}

// Waits (bounded, a few seconds at most) until `count` datagrams have arrived. Loopback
// delivery is synchronous on Linux, so this normally returns on the first pass; the wait only
// guards against a loaded machine. No duration is asserted.
std::vector<Datagram> receive_n(Udp& udp, std::size_t count) {
  std::vector<Datagram> out;
  std::array<Datagram, 32> slots;
  for (int attempt = 0; attempt < 50 && out.size() < count; ++attempt) {
    const std::size_t n = udp.receive(slots);
    out.insert(out.end(), slots.begin(), slots.begin() + static_cast<std::ptrdiff_t>(n));
    if (n == 0) {
      pollfd p{udp.native_handle(), POLLIN, 0};
      ::poll(&p, 1, 100);
    }
  }
  return out;
}

std::error_code open_error(Address bind, UdpConfig config = {}) {
  try {
    Udp udp(bind, config);
  } catch (const std::system_error& e) {
    return e.code();
  }
  return {};
}

void exchange_between(Udp& a, Udp& b) {
  const auto ping = payload(100, 1);
  BOOST_TEST(!a.send(b.local_address(), ping));
  BOOST_TEST(a.queued() == 1u);
  a.flush();
  BOOST_TEST(a.queued() == 0u);
  auto got = receive_n(b, 1);
  BOOST_REQUIRE(got.size() == 1u);
  BOOST_TEST((got[0].from == a.local_address()));
  BOOST_TEST(std::equal(ping.begin(), ping.end(), got[0].bytes().begin(), got[0].bytes().end()));

  const auto pong = payload(1200, 2);
  BOOST_TEST(!b.send(got[0].from, pong));
  b.flush();
  got = receive_n(a, 1);
  BOOST_REQUIRE(got.size() == 1u);
  BOOST_TEST((got[0].from == b.local_address()));
  BOOST_TEST(std::equal(pong.begin(), pong.end(), got[0].bytes().begin(), got[0].bytes().end()));
  BOOST_TEST(a.stats().datagrams_sent == 1u);
  BOOST_TEST(a.stats().bytes_sent == 100u);
  BOOST_TEST(a.stats().datagrams_received == 1u);
  BOOST_TEST(a.stats().bytes_received == 1200u);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(udp_test)

BOOST_AUTO_TEST_CASE(exchange_over_ipv4_loopback) {
  Udp a(any_v4);
  Udp b(any_v4);
  BOOST_TEST(a.local_address().is_ipv4());
  BOOST_TEST(a.local_address().port() != 0);
  BOOST_TEST(a.local_address().port() != b.local_address().port());
  exchange_between(a, b);
}

BOOST_AUTO_TEST_CASE(exchange_over_ipv6_loopback) {
  Udp a(any_v6);
  Udp b(any_v6, UdpConfig{.dual_stack = false});
  BOOST_TEST(a.local_address().is_ipv6());
  BOOST_TEST(a.local_address().to_string().starts_with("[::1]:"));
  exchange_between(a, b);
}

BOOST_AUTO_TEST_CASE(dual_stack_socket_sees_ipv4_senders_as_ipv4) {
  // An IPv6 socket bound to the IPv4-mapped loopback: it reports, accepts and answers IPv4.
  Udp server(*Address::parse("[::ffff:127.0.0.1]:0"));
  BOOST_TEST(server.local_address().is_ipv4());
  Udp client(any_v4);
  exchange_between(client, server);
}

BOOST_AUTO_TEST_CASE(ipv6_only_socket_refuses_ipv4_destinations) {
  Udp v6only(any_v6, UdpConfig{.dual_stack = false});
  BOOST_TEST((v6only.send(Address::ipv4(127, 0, 0, 1, 9), payload(1, 0)) == Error::invalid_address));
  Udp v4(any_v4);
  BOOST_TEST((v4.send(*Address::parse("[::1]:9"), payload(1, 0)) == Error::invalid_address));
  BOOST_TEST((v4.send(Address{}, payload(1, 0)) == Error::invalid_address));
  BOOST_TEST(v4.queued() == 0u);
}

BOOST_AUTO_TEST_CASE(busy_port_is_address_in_use) {
  Udp first(any_v4);
  Address same = first.local_address();
  BOOST_TEST((open_error(same) == Error::address_in_use));
  std::error_code ec;
  auto second = Udp::open(same, ec);
  BOOST_TEST(!second.has_value());
  BOOST_TEST((ec == Error::address_in_use));
  try {
    Udp again(same);
    BOOST_FAIL("bind to a busy port succeeded");
  } catch (const std::system_error& e) {
    BOOST_TEST(std::string(e.what()).find("bind") != std::string::npos);  // names the call
  }
}

BOOST_AUTO_TEST_CASE(bad_addresses_and_config_are_refused) {
  BOOST_TEST((open_error(Address{}) == Error::invalid_address));
  BOOST_TEST((open_error(any_v4, UdpConfig{.batch_size = 0}) == Error::invalid_config));
  BOOST_TEST((open_error(any_v4, UdpConfig{.batch_size = 1025}) == Error::invalid_config));
  std::error_code ec;
  BOOST_TEST(!Udp::open(Address{}, ec).has_value());
  BOOST_TEST((ec == Error::invalid_address));
  auto ok = Udp::open(any_v4, ec);
  BOOST_TEST(ok.has_value());
  BOOST_TEST(!ec);
}

BOOST_AUTO_TEST_CASE(batch_of_200_is_sent_with_flush_and_all_received) {
  Udp sender(any_v4);  // batch 64: three automatic flushes, then ours
  Udp receiver(any_v4);
  for (std::uint32_t i = 0; i < 200; ++i) {
    auto bytes = payload(8 + i % 50, i);
    bytes[0] = static_cast<std::byte>(i);
    BOOST_REQUIRE(!sender.send(receiver.local_address(), bytes));
  }
  BOOST_TEST(sender.queued() == 200u % 64);
  sender.flush();
  BOOST_TEST(sender.stats().datagrams_sent == 200u);
  BOOST_TEST(sender.stats().send_errors == 0u);
  const auto got = receive_n(receiver, 200);
  BOOST_REQUIRE(got.size() == 200u);
  for (std::uint32_t i = 0; i < 200; ++i) {
    BOOST_TEST(got[i].size == 8 + i % 50);
    BOOST_TEST(std::to_integer<std::uint32_t>(got[i].data[0]) == (i & 0xff));
  }
  BOOST_TEST(receiver.stats().datagrams_received == 200u);
}

BOOST_AUTO_TEST_CASE(too_large_send_is_refused_and_largest_passes) {
  Udp a(any_v4);
  Udp b(any_v4);
  BOOST_TEST((a.send(b.local_address(), payload(courier::max_datagram_bytes + 1, 0)) ==
              Error::message_too_large));
  BOOST_TEST(a.queued() == 0u);
  BOOST_TEST(!a.send(b.local_address(), payload(courier::max_datagram_bytes, 0)));
  a.flush();
  const auto got = receive_n(b, 1);
  BOOST_REQUIRE(got.size() == 1u);
  BOOST_TEST(got[0].size == courier::max_datagram_bytes);
}

BOOST_AUTO_TEST_CASE(oversized_arrival_is_dropped_and_counted) {
  Udp receiver(any_v4);
  Udp sender(any_v4);
  // A plain socket sends what courier never would: a 2000-byte datagram.
  const int raw = ::socket(AF_INET, SOCK_DGRAM, 0);
  BOOST_REQUIRE(raw >= 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(receiver.local_address().port());
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const auto big = payload(2000, 3);
  BOOST_REQUIRE(::sendto(raw, big.data(), big.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof(to)) == 2000);
  ::close(raw);
  BOOST_TEST(!sender.send(receiver.local_address(), payload(10, 4)));
  sender.flush();
  const auto got = receive_n(receiver, 1);  // the good one after the bad one
  BOOST_REQUIRE(got.size() == 1u);
  BOOST_TEST(got[0].size == 10u);
  BOOST_TEST((got[0].from == sender.local_address()));
  BOOST_TEST(receiver.stats().drops[courier::DropReason::too_large] == 1u);
  BOOST_TEST(receiver.stats().datagrams_received == 1u);
}

BOOST_AUTO_TEST_CASE(moves_transfer_the_socket) {
  Udp a(any_v4);
  Udp b(any_v4);
  const Address where = b.local_address();
  Udp moved(std::move(b));
  BOOST_TEST(b.native_handle() == -1);  // NOLINT(bugprone-use-after-move)
  BOOST_TEST((b.send(where, payload(1, 0)) == Error::not_connected));
  std::array<Datagram, 1> slot;
  BOOST_TEST(b.receive(slot) == 0u);
  BOOST_TEST((moved.local_address() == where));
  exchange_between(a, moved);

  Udp c(any_v4);
  c = std::move(moved);
  BOOST_TEST((c.local_address() == where));
  BOOST_TEST(!a.send(where, payload(5, 5)));
  a.flush();
  BOOST_TEST(receive_n(c, 1).size() == 1u);
}

BOOST_AUTO_TEST_CASE(socket_buffers_are_requested) {
  Udp udp(any_v4);
  BOOST_TEST(udp.config().socket_buffer_bytes == 4u * 1024 * 1024);
  BOOST_TEST(udp.config().batch_size == 64u);
  BOOST_TEST(udp.config().dual_stack);
  // The kernel caps the request at its *mem_max; whatever it granted is above zero.
  BOOST_TEST(udp.send_buffer_bytes() > 0u);
  BOOST_TEST(udp.receive_buffer_bytes() > 0u);
}

BOOST_AUTO_TEST_CASE(empty_receive_returns_zero_without_blocking) {
  Udp udp(any_v4);
  std::array<Datagram, 4> slots;
  BOOST_TEST(udp.receive(slots) == 0u);
  BOOST_TEST(udp.stats().receive_errors == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
