#pragma once
// The netcode.io 1.02 packet vectors (tests/data/netcode/packets.json) written and read with
// courier's writers and reader, for any crypto policy that claims the netcode 1.02 wire.

#include <boost/test/unit_test.hpp>

#include <array>
#include <cstddef>
#include <vector>

#include <courier/crypto/crypto.hpp>
#include <courier/netcode/packet.hpp>
#include <courier/netcode/packet_reader.hpp>

#include "netcode/vectors.hpp"

namespace courier::test {

namespace nc = courier::netcode;

/// Writes the packet a vector describes with courier's writers, sealing with `C`.
template <Crypto C>
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
      case nc::PacketType::connection_denied: n = nc::write_connection_denied<C>(seq, protocol, key, out); break;
      case nc::PacketType::disconnect: n = nc::write_disconnect<C>(seq, protocol, key, out); break;
      case nc::PacketType::keep_alive:
        n = nc::write_keep_alive<C>(f.get<std::uint32_t>("client_index"), f.get<std::uint32_t>("max_clients"),
                                    seq, protocol, key, out);
        break;
      case nc::PacketType::payload: n = nc::write_payload<C>(hex_at(f, "payload"), seq, protocol, key, out); break;
      default: {
        const auto token = hex_at(f, "encrypted_challenge_token");
        n = nc::write_challenge_or_response<C>(type, u64_at(f, "challenge_token_sequence"),
                                                        std::span<const std::byte, 300>(token.data(), 300),
                                                seq, protocol, key, out);
      }
    }
  }
  return to_vector(std::span(out).first(n));
}

/// Reads a vector's wire bytes with its read context, opening with `C`, and checks every field.
template <Crypto C>
void check_read(const Json& v, const std::vector<std::byte>& wire) {
  VectorReader reader(v.get_child("read_context"));
  std::array<std::byte, nc::max_packet_bytes> plain{};
  const auto r = nc::read_packet<C>(wire, reader.ctx, plain);
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

}  // namespace courier::test
