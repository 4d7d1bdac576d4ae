#include <courier/core/random.hpp>
#include <courier/reliable/endpoint.hpp>

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstring>
#include <vector>

#include "reliable/sim_link.hpp"

namespace bdata = boost::unit_test::data;
using namespace std::chrono_literals;
using courier::ReliableEndpoint;
using courier::TimePoint;

namespace {

// One endpoint plus the bookkeeping the properties need. Payloads start with the sender's
// absolute packet number (8 bytes), the rest is derived from it, so the receiver can verify
// every byte.
struct Side {
  explicit Side(courier::EndpointConfig cfg = {}) : ep(cfg), abs_of(65536, 0) {}

  ReliableEndpoint ep;
  std::vector<std::uint64_t> abs_of;     // our sequence -> our absolute packet number
  std::vector<std::uint8_t> fate;        // per absolute packet: 0 pending, 1 acked, 2 lost
  std::vector<bool> ack_only;            // per absolute packet: carried no body
  std::vector<std::uint8_t> received;    // per peer absolute packet: times delivered
  std::uint64_t ack_twice = 0, corrupt = 0, ack_only_received = 0;
  std::vector<std::uint8_t>* peer_received = nullptr;
  std::uint64_t acked_not_received = 0;

  courier::PayloadVerdict on_payload(std::uint16_t, std::span<const std::byte> body) noexcept {
    std::uint64_t abs = 0;
    if (body.size() < 8) return courier::PayloadVerdict::violation;
    std::memcpy(&abs, body.data(), 8);
    for (std::size_t i = 8; i < body.size(); ++i)
      if (body[i] != std::byte(static_cast<std::uint8_t>(abs * 31 + i))) ++corrupt;
    if (received.size() <= abs) received.resize(abs + 1, 0);
    ++received[abs];
    return courier::PayloadVerdict::accept;
  }
  void on_acked(std::uint16_t seq) noexcept { resolve(seq, 1); }
  void on_lost(std::uint16_t seq) noexcept { resolve(seq, 2); }

  void resolve(std::uint16_t seq, std::uint8_t how) noexcept {
    const std::uint64_t abs = abs_of[seq];
    if (fate[abs] != 0) ++ack_twice;
    fate[abs] = how;
    if (how == 1 && !ack_only[abs] && (peer_received == nullptr || peer_received->size() <= abs || (*peer_received)[abs] == 0))
      ++acked_not_received;
  }

  // Sends packet number `fate.size()` with a body of `size` bytes (≥ 8).
  template <class Emit>
  void send(TimePoint now, std::size_t size, Emit&& emit) {
    const std::uint64_t abs = fate.size();
    fate.push_back(0);
    ack_only.push_back(false);
    std::vector<std::byte> body(size);
    std::memcpy(body.data(), &abs, 8);
    for (std::size_t i = 8; i < size; ++i) body[i] = std::byte(static_cast<std::uint8_t>(abs * 31 + i));
    abs_of[ep.next_sequence()] = abs;
    BOOST_REQUIRE(!ep.send_packet(now, body, *this, emit));
  }

  // An ack-only packet, when one is due.
  template <class Emit>
  bool send_ack_if_due(TimePoint now, Emit&& emit) {
    if (!ep.ack_due(now)) return false;
    abs_of[ep.next_sequence()] = fate.size();
    fate.push_back(0);
    ack_only.push_back(true);
    BOOST_REQUIRE(!ep.send_packet(now, {}, *this, emit));
    return true;
  }
};

static_assert(courier::PacketHandler<Side>);

struct Pair {
  Pair(const courier::SimulatedConfig& link_config, std::uint64_t seed, courier::EndpointConfig cfg = {})
      : link(link_config, seed), side{Side(cfg), Side(cfg)} {
    side[0].peer_received = &side[1].received;
    side[1].peer_received = &side[0].received;
  }
  void pump(TimePoint now) {
    link.pump(now, [&](int to, std::span<const std::byte> bytes) {
      BOOST_REQUIRE(!side[to].ep.read_packet(now, bytes, side[to]));
    });
    for (auto& s : side) s.ep.update(now, s);
  }
  auto emitter(int from) {
    return [this, from](std::span<const std::byte> d) { link.send(from, d); };
  }
  courier::test::SimLink link;
  Side side[2];
};

}  // namespace

BOOST_AUTO_TEST_SUITE(endpoint_test)

// 70 000 packets each way: sequences wrap; each packet is acked or lost exactly once, and an
// ack always means the peer really got the packet.
BOOST_DATA_TEST_CASE(acks_exactly_once_across_sequence_wrap, bdata::xrange(1, 3), seed) {
  Pair p(courier::test::harsh_link(), static_cast<std::uint64_t>(seed));
  TimePoint now{};
  courier::Rng rng(static_cast<std::uint64_t>(seed));
  constexpr std::uint64_t total = 70000;
  while (p.side[0].fate.size() < total) {
    now += 5ms;
    // 200 packets/s: the ±50 ms jitter reorders up to 20 packets, inside the 32 ack bits
    p.side[0].send(now, 8 + rng.below(64), p.emitter(0));
    if (rng.chance(0.3)) p.side[1].send(now, 8 + rng.below(32), p.emitter(1));
    else p.side[1].send_ack_if_due(now, p.emitter(1));
    p.side[0].send_ack_if_due(now, p.emitter(0));
    p.pump(now);
  }
  for (int i = 0; i < 1000; ++i) {  // drain: 5 s of acks only
    now += 5ms;
    p.side[0].send_ack_if_due(now, p.emitter(0));
    p.side[1].send_ack_if_due(now, p.emitter(1));
    p.pump(now);
  }
  BOOST_TEST_MESSAGE("seed " << seed);
  BOOST_TEST_MESSAGE("rtt " << courier::to_seconds(p.side[0].ep.stats().rtt) << " jitter " << courier::to_seconds(p.side[0].ep.stats().jitter) << " timeout " << courier::to_seconds(p.side[0].ep.loss_timeout()) << " lost " << p.side[0].ep.stats().packets_lost << " late acks " << p.side[0].ep.stats().late_acks
                     << " link lost " << p.link.stats(0).lost_independent + p.link.stats(0).lost_burst);
  for (const Side& s : p.side) {
    BOOST_TEST(s.ack_twice == 0u, "seed " << seed);
    BOOST_TEST(s.acked_not_received == 0u, "seed " << seed);
    BOOST_TEST(s.corrupt == 0u);
    std::size_t pending = 0, acked = 0;
    for (auto f : s.fate) pending += f == 0, acked += f == 1;
    BOOST_TEST(pending <= 2u, "seed " << seed);  // at most the last ack-only packets
    BOOST_TEST(acked > s.fate.size() / 2);
    for (auto r : s.received) BOOST_TEST_REQUIRE(r <= 1u, "duplicate delivery, seed " << seed);
  }
  const auto& st = p.side[0].ep.stats();
  BOOST_TEST(st.packets_sent >= total);
  BOOST_TEST(p.side[0].ep.next_sequence() != 0);  // wrapped at least once: 70 000 > 65 536
  BOOST_TEST(courier::to_seconds(st.rtt) > 0.12);
  BOOST_TEST(courier::to_seconds(st.rtt) < 0.40);
  BOOST_TEST(courier::to_seconds(st.min_rtt) < 0.15);
  BOOST_TEST(courier::to_seconds(st.jitter) > 0.005);
  // about the link's 20 %, plus packets given up on while jitter still held them back
  const double lost = static_cast<double>(st.packets_lost) / static_cast<double>(st.packets_sent);
  BOOST_TEST(lost > 0.15);
  BOOST_TEST(lost < 0.30);
  BOOST_TEST(st.packet_loss > 0.05);
  BOOST_TEST(st.packet_loss < 0.60);
  BOOST_TEST(st.sent_kbps > 0);
  BOOST_TEST(st.acked_kbps > 0);
  BOOST_TEST(st.acked_kbps < st.sent_kbps);
  BOOST_TEST(p.side[1].ep.stats().received_kbps > 0);
}

// Packets up to 8 KiB cross a lossy, duplicating link as fragments: each arrives whole and
// intact or not at all, once.
BOOST_DATA_TEST_CASE(fragments_reassemble_under_loss_and_duplication, bdata::xrange(1, 6), seed) {
  courier::SimulatedConfig link;
  link.latency = 20ms;
  link.jitter = 10ms;
  link.loss = 0.05;
  link.duplicate = 0.2;
  link.reorder = 0.1;
  Pair p(link, static_cast<std::uint64_t>(seed));
  courier::Rng rng(static_cast<std::uint64_t>(seed) + 99);
  TimePoint now{};
  for (int i = 0; i < 400; ++i) {
    now += 10ms;
    p.side[0].send(now, 8 + rng.below(8 * 1024 - 8 - courier::PacketHeader::max_bytes), p.emitter(0));
    p.side[1].send_ack_if_due(now, p.emitter(1));
    p.pump(now);
  }
  for (int i = 0; i < 100; ++i) {
    now += 10ms;
    p.side[1].send_ack_if_due(now, p.emitter(1));
    p.pump(now);
  }
  const Side& b = p.side[1];
  std::size_t delivered = 0;
  for (auto r : b.received) {
    BOOST_TEST_REQUIRE(r <= 1u, "seed " << seed);
    delivered += r;
  }
  BOOST_TEST(b.corrupt == 0u, "seed " << seed);
  BOOST_TEST(delivered > 200u, "seed " << seed);
  BOOST_TEST(delivered < 400u, "seed " << seed);  // some lost a fragment: never half-delivered
  BOOST_TEST(b.ep.stats().drops[courier::DropReason::duplicate] > 0u);
  BOOST_TEST(p.side[0].ep.stats().fragments_sent > 1000u);
  BOOST_TEST(p.side[0].ack_twice == 0u);
  BOOST_TEST(p.side[0].acked_not_received == 0u);
}

// An idle receiver acks, but never in reply to an ack: two endpoints go quiet.
BOOST_AUTO_TEST_CASE(idle_acks_do_not_flood) {
  courier::SimulatedConfig link;
  link.latency = 20ms;
  Pair p(link, 7);
  TimePoint now{};
  std::size_t a_packets = 0, b_acks = 0, late_traffic = 0;
  for (int i = 0; i < 400; ++i) {  // 2 s; A sends for the first second
    now += 5ms;
    if (i < 200 && i % 2 == 0) {
      p.side[0].send(now, 16, p.emitter(0));
      ++a_packets;
    }
    const bool a_ack = p.side[0].send_ack_if_due(now, p.emitter(0));
    const bool b_ack = p.side[1].send_ack_if_due(now, p.emitter(1));
    b_acks += b_ack;
    BOOST_TEST(!a_ack);  // B's acks ask for nothing
    if (i >= 250) late_traffic += a_ack + b_ack;
    p.pump(now);
  }
  BOOST_TEST(b_acks > 0u);
  BOOST_TEST(b_acks <= a_packets);
  BOOST_TEST(late_traffic == 0u);
  std::size_t acked = 0;
  for (std::size_t i = 0; i < a_packets; ++i) acked += p.side[0].fate[i] == 1;
  BOOST_TEST(acked == a_packets);
  BOOST_TEST(courier::to_seconds(p.side[0].ep.stats().min_rtt) >= 0.04);
  BOOST_TEST(courier::to_seconds(p.side[0].ep.stats().rtt) < 0.07);
}

namespace {
struct Sink {
  std::size_t payloads = 0;
  courier::PayloadVerdict on_payload(std::uint16_t, std::span<const std::byte>) noexcept {
    ++payloads;
    return courier::PayloadVerdict::accept;
  }
  void on_acked(std::uint16_t) noexcept {}
  void on_lost(std::uint16_t) noexcept {}
};

std::vector<std::byte> fragment(std::uint16_t seq, int index, int count, std::size_t size) {
  std::vector<std::byte> d(courier::PacketHeader::fragment_header_bytes + size, std::byte{0x5A});
  d[0] = std::byte{1};
  d[1] = std::byte(seq & 0xFF);
  d[2] = std::byte(seq >> 8);
  d[3] = std::byte(index);
  d[4] = std::byte(count - 1);
  return d;
}
}  // namespace

BOOST_AUTO_TEST_CASE(malformed_datagrams_are_protocol_violations) {
  ReliableEndpoint ep;
  Sink sink;
  const TimePoint now{};
  const auto read = [&](const std::vector<std::byte>& d) { return ep.read_packet(now, d, sink); };
  const std::error_code violation = courier::Error::protocol_violation;
  const std::size_t full = courier::packet_fragment_bytes;
  BOOST_TEST((read({}) == violation));
  BOOST_TEST((read(std::vector<std::byte>(1201)) == violation));
  BOOST_TEST((read(fragment(1, 3, 3, 10)) == violation));                 // index out of range
  BOOST_TEST((read(fragment(1, 0, 1, 10)) == violation));                 // one fragment
  BOOST_TEST((read(fragment(1, 0, 200, full)) == violation));             // beyond max_packet_bytes
  BOOST_TEST((read(fragment(1, 0, 3, full - 1)) == violation));           // short middle fragment
  BOOST_TEST((read(fragment(1, 2, 3, 0)) == violation));                  // empty last fragment
  BOOST_TEST((read({std::byte{0x02}, std::byte{1}, std::byte{0}}) == violation));  // asks for ack, no body
  BOOST_TEST((read({std::byte{0x00}, std::byte{1}, std::byte{0}, std::byte{7}}) == violation));  // body, no ask
  BOOST_TEST(sink.payloads == 0u);
  BOOST_TEST(!read(fragment(2, 0, 2, full)));
  BOOST_TEST((read(fragment(2, 1, 3, full)) == violation));  // count differs from the first fragment
}

BOOST_AUTO_TEST_CASE(reassembly_is_bounded) {
  courier::EndpointConfig cfg;
  cfg.max_packets_in_reassembly = 4;
  ReliableEndpoint ep(cfg);
  Sink sink;
  const TimePoint now{};
  for (std::uint16_t s = 10; s < 20; ++s) BOOST_TEST(!ep.read_packet(now, fragment(s, 0, 3, courier::packet_fragment_bytes), sink));
  // packet 10 was evicted by newer ones; its next fragment finds no room
  BOOST_TEST(!ep.read_packet(now, fragment(10, 1, 3, courier::packet_fragment_bytes), sink));
  BOOST_TEST(ep.stats().drops[courier::DropReason::table_full] == 1u);
  BOOST_TEST(sink.payloads == 0u);
}

BOOST_DATA_TEST_CASE(random_bytes_never_crash, bdata::xrange(1, 4), seed) {
  ReliableEndpoint ep;
  Sink sink;
  courier::Rng rng(static_cast<std::uint64_t>(seed));
  std::vector<std::byte> d(1200);
  std::size_t violations = 0;
  for (int i = 0; i < 50000; ++i) {
    const std::size_t n = rng.below(1201);
    for (std::size_t k = 0; k < n; ++k) d[k] = std::byte(rng.next());
    if (n > 0 && rng.chance(0.5)) d[0] = std::byte(rng.chance(0.5) ? 0x01 : 0x82);
    violations += static_cast<bool>(ep.read_packet(TimePoint{} + i * 1ms, std::span(d.data(), n), sink));
  }
  BOOST_TEST(violations > 0u, "seed " << seed);
}

BOOST_AUTO_TEST_CASE(invalid_config_is_refused_at_construction) {
  courier::EndpointConfig cfg;
  cfg.sent_packets = 100;
  BOOST_CHECK_THROW(ReliableEndpoint{cfg}, std::invalid_argument);
  cfg = {};
  cfg.max_packet_bytes = 400 * 1024;
  BOOST_CHECK_THROW(ReliableEndpoint{cfg}, std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
