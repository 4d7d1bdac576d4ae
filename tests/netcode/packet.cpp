#include <courier/netcode/packet.hpp>
#include <courier/netcode/packet.hpp>
#include <courier/crypto/netcode102.hpp>
#include <courier/netcode/packet_reader.hpp>

#include <boost/test/unit_test.hpp>

#include "netcode/vectors.hpp"

namespace nc = courier::netcode;
using courier::Netcode102;
using namespace courier::test;

namespace {

/// Writes the packet a vector describes with courier's writers.
std::vector<std::byte> write_vector(const Json& v) {
  std::array<std::byte, nc::max_packet_bytes> out{};
  const auto type = static_cast<nc::PacketType>(v.get<int>("packet_type"));
  const auto& f = v.get_child("fields");
  std::size_t n = 0;
  if (type == nc::PacketType::connection_request) {
    nc::ConnectionRequestPacket p;
    p.protocol_id = u64_at(f, "protocol_id");
    p.expire_timestamp = u64_at(f, "connect_token_expire_timestamp");
    p.nonce = array_at<24>(f, "connect_token_nonce");
    const auto enc = hex_at(f, "encrypted_private_connect_token");
    std::copy(enc.begin(), enc.end(), p.private_data.begin());
    n = nc::write_connection_request(p, out);
  } else {
    const auto seq = u64_at(v, "sequence");
    const auto protocol = u64_at(v, "protocol_id");
    const auto key = key_at(v, "key");
    switch (type) {
      case nc::PacketType::connection_denied: n = nc::write_connection_denied<Netcode102>(seq, protocol, key, out); break;
      case nc::PacketType::disconnect: n = nc::write_disconnect<Netcode102>(seq, protocol, key, out); break;
      case nc::PacketType::keep_alive:
        n = nc::write_keep_alive<Netcode102>(f.get<std::uint32_t>("client_index"), f.get<std::uint32_t>("max_clients"),
                                             seq, protocol, key, out);
        break;
      case nc::PacketType::payload: n = nc::write_payload<Netcode102>(hex_at(f, "payload"), seq, protocol, key, out); break;
      default: {
        const auto token = hex_at(f, "encrypted_challenge_token");
        n = nc::write_challenge_or_response<Netcode102>(type, u64_at(f, "challenge_token_sequence"),
                                                        std::span<const std::byte, 300>(token.data(), 300),
                                                        seq, protocol, key, out);
      }
    }
  }
  return to_vector(std::span(out).first(n));
}

/// Reads a vector's wire bytes with its read context and checks every field.
void check_read(const Json& v, const std::vector<std::byte>& wire) {
  VectorReader reader(v.get_child("read_context"));
  std::array<std::byte, nc::max_packet_bytes> plain{};
  const auto r = nc::read_packet<Netcode102>(wire, reader.ctx, plain);
  BOOST_REQUIRE_MESSAGE(r.ok, "dropped: " << courier::describe(r.reason));
  const auto& p = r.packet;
  BOOST_TEST(static_cast<int>(p.type) == v.get<int>("packet_type"));
  const auto& f = v.get_child("fields");
  switch (p.type) {
    case nc::PacketType::connection_request: {
      BOOST_TEST(p.expire_timestamp == u64_at(f, "connect_token_expire_timestamp"));
      BOOST_TEST(to_vector(p.encrypted_private_token) == hex_at(f, "encrypted_private_connect_token"));
      BOOST_TEST(nc::read_private_token(p.plaintext).has_value());
      return;
    }
    case nc::PacketType::keep_alive:
      BOOST_TEST(p.client_index == f.get<std::uint32_t>("client_index"));
      BOOST_TEST(p.max_clients == f.get<std::uint32_t>("max_clients"));
      break;
    case nc::PacketType::payload: BOOST_TEST(to_vector(p.plaintext) == hex_at(f, "payload")); break;
    case nc::PacketType::connection_challenge:
    case nc::PacketType::connection_response:
      BOOST_TEST(p.challenge_sequence == u64_at(f, "challenge_token_sequence"));
      BOOST_TEST(to_vector(p.challenge_token) == hex_at(f, "encrypted_challenge_token"));
      break;
    default: BOOST_TEST(p.plaintext.empty());
  }
  BOOST_TEST(p.sequence == u64_at(v, "sequence"));
  // 2^64-1 is the window's empty marker, so the reference (and courier) cannot remember it.
  if (reader.ctx.replay != nullptr && p.sequence != ~0ull) BOOST_TEST(reader.replay.already_received(p.sequence));
}

}  // namespace

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
      BOOST_TEST(write_vector(v) == wire);
      if (v.get<int>("packet_type") != 0) {
        const auto ad = nc::packet_associated_data(u64_at(v, "protocol_id"),
                                                   static_cast<std::uint8_t>(hex_at(v, "prefix")[0]));
        BOOST_TEST(to_vector(ad) == hex_at(v, "associated_data"));
        const auto nonce = courier::detail::packet_nonce(u64_at(v, "sequence"));
        BOOST_TEST(to_vector(std::as_bytes(std::span(nonce))) == hex_at(v, "nonce"));
        BOOST_TEST(nc::sequence_bytes(u64_at(v, "sequence")) == v.get<std::size_t>("sequence_bytes"));
      }
      BOOST_TEST(v.get<std::string>("reference_reader_roundtrip_ok") == "true");
      check_read(v, wire);
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
      check_read(v, hex_at(v, "wire"));
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
