#include <courier/core/random.hpp>
#include <courier/reliable/packet_header.hpp>

#include <boost/test/data/test_case.hpp>
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/unit_test.hpp>

#include <array>

namespace bdata = boost::unit_test::data;

BOOST_AUTO_TEST_SUITE(packet_header_test)

BOOST_DATA_TEST_CASE(header_round_trips, bdata::xrange(1, 21), seed) {
  courier::Rng rng(static_cast<std::uint64_t>(seed));
  for (int i = 0; i < 2000; ++i) {
    courier::PacketHeader h;
    h.sequence = static_cast<std::uint16_t>(rng.next());
    h.eliciting = rng.chance(0.5);
    h.has_ack = rng.chance(0.9);
    if (h.has_ack) {
      h.ack = rng.chance(0.5) ? static_cast<std::uint16_t>(h.sequence - rng.below(256)) : static_cast<std::uint16_t>(rng.next());
      h.ack_bits = rng.chance(0.5) ? 0xFFFFFFFFu ^ (1u << rng.below(32)) : static_cast<std::uint32_t>(rng.next());
    }
    std::array<std::byte, courier::PacketHeader::max_bytes> buf{};
    const std::size_t n = h.write(buf);
    BOOST_TEST_REQUIRE(n > 0u, "seed " << seed);
    courier::detail::ByteReader r(std::span<const std::byte>(buf.data(), n));
    const auto back = courier::PacketHeader::read(r);
    BOOST_TEST_REQUIRE(back.has_value(), "seed " << seed);
    BOOST_TEST_REQUIRE(r.at_end());
    BOOST_TEST(back->sequence == h.sequence);
    BOOST_TEST(back->eliciting == h.eliciting);
    BOOST_TEST(back->has_ack == h.has_ack);
    BOOST_TEST(back->ack == h.ack);
    BOOST_TEST(back->ack_bits == h.ack_bits);
  }
}

BOOST_AUTO_TEST_CASE(full_ack_bits_cost_nothing_and_headers_stay_small) {
  courier::PacketHeader h;
  h.sequence = 1000;
  h.has_ack = true;
  h.ack = 990;
  h.ack_bits = 0xFFFFFFFFu;
  std::array<std::byte, 16> buf{};
  BOOST_TEST(h.write(buf) == 4u);  // flags, sequence, one-byte ack
  h.ack = 20000;
  h.ack_bits = 0;
  BOOST_TEST(h.write(buf) == courier::PacketHeader::max_bytes);
}

BOOST_AUTO_TEST_CASE(bad_flags_and_truncation_are_rejected) {
  const auto read = [](std::initializer_list<int> bytes) {
    std::array<std::byte, 16> buf{};
    std::size_t n = 0;
    for (int b : bytes) buf[n++] = std::byte(b);
    courier::detail::ByteReader r(std::span<const std::byte>(buf.data(), n));
    return courier::PacketHeader::read(r).has_value();
  };
  BOOST_TEST(read({0x02, 0x01, 0x00}));
  BOOST_TEST(!read({0x02, 0x01}));                // truncated sequence
  BOOST_TEST(!read({0x06, 0x01, 0x00, 0x00}));    // ack-bits byte without an ack
  BOOST_TEST(!read({0x01, 0x01, 0x00, 0, 0}));    // a fragment is not a regular header
  BOOST_TEST(!read({0xC2, 0x01, 0x00}));          // ack announced, missing
}

BOOST_AUTO_TEST_SUITE_END()
