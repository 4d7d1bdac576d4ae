#include <courier/transport/udp.hpp>

#include <boost/test/unit_test.hpp>

#include <poll.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

// UDP segmentation offload in Udp::flush: runs of queued datagrams to one peer leave as one
// segmented message each, and the receivers see exactly the datagrams that were queued, in
// order. Where the kernel has no UDP_SEGMENT the same traffic goes out datagram by datagram,
// and these tests still check every byte.

using courier::Address;
using courier::Datagram;
using courier::Udp;
using courier::UdpConfig;

namespace {

const Address loopback_v4 = Address::ipv4(127, 0, 0, 1, 0);
const Address loopback_v6 = Address::ipv6({0, 0, 0, 0, 0, 0, 0, 1}, 0);

UdpConfig segmenting() {
  UdpConfig config;
  config.segmentation_offload = true;  // off by default
  return config;
}

std::vector<std::byte> payload(std::size_t size, std::uint32_t tag) {
  std::vector<std::byte> bytes(size);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::byte>(tag * 31 + i * 7);
  return bytes;
}

// Waits (bounded) until `count` datagrams have arrived; no duration is asserted.
std::vector<std::vector<std::byte>> receive_n(Udp& udp, std::size_t count) {
  std::vector<std::vector<std::byte>> out;
  std::array<Datagram, 32> slots;
  for (int attempt = 0; attempt < 50 && out.size() < count; ++attempt) {
    const std::size_t n = udp.receive(slots);
    for (std::size_t i = 0; i < n; ++i) out.emplace_back(slots[i].bytes().begin(), slots[i].bytes().end());
    if (n == 0) {
      pollfd p{udp.native_handle(), POLLIN, 0};
      ::poll(&p, 1, 100);
    }
  }
  return out;
}

/// Queues `sizes` to `to` from `sender`, remembering what each receiver must see.
void queue(Udp& sender, const Udp& to, std::initializer_list<std::size_t> sizes,
           std::vector<std::vector<std::byte>>& expected, std::uint32_t& tag) {
  for (const std::size_t size : sizes) {
    expected.push_back(payload(size, ++tag));
    BOOST_REQUIRE(!sender.send(to.local_address(), expected.back()));
  }
}

void mixed_runs_arrive_as_queued(Address bind) {
  Udp sender(bind, segmenting());
  Udp b(bind);
  Udp c(bind);
  std::vector<std::vector<std::byte>> to_b;
  std::vector<std::vector<std::byte>> to_c;
  std::uint32_t tag = 0;
  // Runs: ten full 1200-byte segments closed by a shorter one; five to another peer; three
  // small ones; a larger one after them (cannot join a run of 100-byte segments); an empty one.
  queue(sender, b, {1200, 1200, 1200, 1200, 1200, 1200, 1200, 1200, 1200, 1200, 300}, to_b, tag);
  queue(sender, c, {1200, 1200, 1200, 1200, 1200}, to_c, tag);
  queue(sender, b, {100, 100, 100, 1200, 0}, to_b, tag);
  sender.flush();
  BOOST_TEST(sender.stats().datagrams_sent == 21u);
  BOOST_TEST(sender.stats().send_errors == 0u);
  if (sender.segmenting()) {
    BOOST_TEST(sender.segmented_messages() == 3u);
  } else {
    BOOST_TEST_MESSAGE("this kernel has no UDP segmentation offload: datagrams went one by one");
  }
  BOOST_TEST((receive_n(b, to_b.size()) == to_b));
  BOOST_TEST((receive_n(c, to_c.size()) == to_c));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(udp_segmentation_test)

BOOST_AUTO_TEST_CASE(the_kernel_offers_segmentation_here) {
  // Linux 4.18+ (this project's machines run far newer ones): a missing offload would be a
  // regression in how the socket is probed, not a property of the machine.
  BOOST_TEST(Udp(loopback_v4, segmenting()).segmenting());
  BOOST_TEST(Udp(loopback_v6, segmenting()).segmenting());
  BOOST_TEST(!Udp(loopback_v4).segmenting());  // the default
}

BOOST_AUTO_TEST_CASE(runs_to_one_peer_arrive_as_queued_over_ipv4) { mixed_runs_arrive_as_queued(loopback_v4); }

BOOST_AUTO_TEST_CASE(runs_to_one_peer_arrive_as_queued_over_ipv6) { mixed_runs_arrive_as_queued(loopback_v6); }

BOOST_AUTO_TEST_CASE(a_run_is_cut_at_the_segment_count_and_size_limits) {
  UdpConfig config = segmenting();
  config.batch_size = 512;
  Udp sender(loopback_v4, config);
  Udp receiver(loopback_v4);
  std::vector<std::vector<std::byte>> expected;
  std::uint32_t tag = 0;
  for (int i = 0; i < 150; ++i) queue(sender, receiver, {1000}, expected, tag);  // 64 + 64 + 22
  for (int i = 0; i < 100; ++i) queue(sender, receiver, {courier::max_datagram_bytes}, expected, tag);
  sender.flush();
  BOOST_TEST(sender.stats().datagrams_sent == 250u);
  BOOST_TEST(sender.stats().send_errors == 0u);
  // Full-sized datagrams: as many as fit in one UDP payload (65 507 bytes) per message.
  const std::size_t per_message = 65507 / courier::max_datagram_bytes;
  const std::size_t big_messages = (100 + per_message - 1) / per_message;
  BOOST_TEST(sender.segmented_messages() == 3u + big_messages);
  BOOST_TEST((receive_n(receiver, expected.size()) == expected));
}

BOOST_AUTO_TEST_CASE(turned_off_it_sends_datagram_by_datagram) {
  Udp sender(loopback_v4);  // the default
  Udp receiver(loopback_v4);
  BOOST_TEST(!sender.segmenting());
  std::vector<std::vector<std::byte>> expected;
  std::uint32_t tag = 0;
  queue(sender, receiver, {1200, 1200, 1200, 500}, expected, tag);
  sender.flush();
  BOOST_TEST(sender.segmented_messages() == 0u);
  BOOST_TEST(sender.stats().datagrams_sent == 4u);
  BOOST_TEST((receive_n(receiver, expected.size()) == expected));
}

BOOST_AUTO_TEST_CASE(a_moved_socket_keeps_segmenting) {
  Udp first(loopback_v4, segmenting());
  Udp receiver(loopback_v4);
  Udp moved(std::move(first));
  std::vector<std::vector<std::byte>> expected;
  std::uint32_t tag = 0;
  queue(moved, receiver, {700, 700, 700}, expected, tag);
  moved.flush();
  BOOST_TEST(moved.segmented_messages() == 1u);
  BOOST_TEST((receive_n(receiver, expected.size()) == expected));
}

BOOST_AUTO_TEST_SUITE_END()
