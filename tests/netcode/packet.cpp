#include <courier/netcode/packet.hpp>
#include <courier/netcode/packet.hpp>
#include <courier/crypto/netcode102.hpp>
#include <courier/netcode/packet_reader.hpp>

#include <boost/test/unit_test.hpp>

#include "netcode/packet_vectors.hpp"

namespace nc = courier::netcode;
using courier::Netcode102;
using namespace courier::test;


BOOST_AUTO_TEST_SUITE(packet_test)

BOOST_AUTO_TEST_CASE(sequence_bytes_are_minimal) {
  BOOST_TEST(nc::sequence_bytes(0) == 1u);
  BOOST_TEST(nc::sequence_bytes(0x11) == 1u);
  BOOST_TEST(nc::sequence_bytes(0x1122) == 2u);
  BOOST_TEST(nc::sequence_bytes(0x112233) == 3u);
  BOOST_TEST(nc::sequence_bytes(0x11223344) == 4u);
  BOOST_TEST(nc::sequence_bytes(0x1122334455) == 5u);
  BOOST_TEST(nc::sequence_bytes(0x112233445566) == 6u);
  BOOST_TEST(nc::sequence_bytes(0x11223344556677) == 7u);
  BOOST_TEST(nc::sequence_bytes(0x1122334455667788) == 8u);
}

BOOST_AUTO_TEST_CASE(writers_reproduce_and_readers_accept_every_packet_vector) {
  const auto file = load_vectors("packets.json");
  const auto vectors = items(file, "vectors");
  BOOST_TEST(vectors.size() == 50u);
  for (const auto& v : vectors) {
    BOOST_TEST_CONTEXT(v.get<std::string>("name")) {
      const auto wire = hex_at(v, "wire");
      BOOST_TEST(wire.size() == v.get<std::size_t>("wire_bytes"));
      BOOST_TEST(write_vector<Netcode102>(v) == wire);
      if (v.get<int>("packet_type") != 0) {
        const auto ad = nc::packet_associated_data(u64_at(v, "protocol_id"),
                                                   static_cast<std::uint8_t>(hex_at(v, "prefix")[0]));
        BOOST_TEST(to_vector(ad) == hex_at(v, "associated_data"));
        const auto nonce = courier::detail::packet_nonce(u64_at(v, "sequence"));
        BOOST_TEST(to_vector(std::as_bytes(std::span(nonce))) == hex_at(v, "nonce"));
        BOOST_TEST(nc::sequence_bytes(u64_at(v, "sequence")) == v.get<std::size_t>("sequence_bytes"));
      }
      BOOST_TEST(v.get<std::string>("reference_reader_roundtrip_ok") == "true");
      check_read<Netcode102>(v, wire);
    }
  }
}

BOOST_AUTO_TEST_CASE(readers_accept_noncanonical_sequence_lengths) {
  const auto file = load_vectors("packets.json");
  const auto vectors = items(file, "reader_accepts_noncanonical");
  BOOST_TEST(vectors.size() == 2u);
  for (const auto& v : vectors) {
    BOOST_TEST_CONTEXT(v.get<std::string>("name")) {
      BOOST_TEST(v.get<std::string>("accepted") == "true");
      check_read<Netcode102>(v, hex_at(v, "wire"));
    }
  }
}

BOOST_AUTO_TEST_CASE(writers_refuse_out_of_range_input) {
  std::array<std::byte, nc::max_packet_bytes> out{};
  courier::Key key{};
  std::array<std::byte, 1201> big{};
  BOOST_TEST(nc::write_payload<Netcode102>({}, 0, 1, key, out) == 0u);
  BOOST_TEST(nc::write_payload<Netcode102>(big, 0, 1, key, out) == 0u);
  BOOST_TEST(nc::write_payload<Netcode102>(std::span(big).first(1200), ~0ull, 1, key, out) == 1225u);
  BOOST_TEST(nc::write_keep_alive<Netcode102>(0, 0, 0, 1, key, std::span(out).first(25)) == 0u);
  BOOST_TEST(nc::write_keep_alive<Netcode102>(0, 0, 0, 1, key, std::span(out).first(26)) == 26u);
  nc::ConnectionRequestPacket request;
  BOOST_TEST(nc::write_connection_request(request, std::span(out).first(1077)) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
