#pragma once
// The netcode read path on one datagram, as a server or a client sees it. The first input byte
// picks the crypto (even: OpenCrypto, so forged packets reach the checks after decryption; odd:
// the real Netcode102) and whether a replay window is present; the rest is the datagram.
// Invariants: no crash or sanitizer report; an accepted packet has an allowed type and the
// exact plaintext size of its type; a replay-protected packet accepted once is refused the
// second time (but for the sequence 2^64-1, below); what a connection request carries parses
// or is refused cleanly.

#include <array>
#include <cstddef>
#include <cstdint>

#include <courier/netcode/connect_token.hpp>
#include <courier/netcode/packet_reader.hpp>

#include "common.hpp"

namespace courier::fuzz {

template <class C>
void read_one(std::span<const std::byte> datagram, netcode::PacketTypeSet allowed, bool with_replay) {
  static const Key read_key = fixed_key(0x10);
  static const Key private_key = fixed_key(0x40);
  netcode::ReplayProtection<> replay;
  netcode::ReadContext ctx;
  ctx.protocol_id = protocol_id;
  ctx.unix_now = 1000;
  ctx.allowed = allowed;
  ctx.read_key = &read_key;
  ctx.private_key = &private_key;
  ctx.replay = with_replay ? &replay : nullptr;
  std::array<std::byte, netcode::max_packet_bytes> plain{};
  const auto r = netcode::read_packet<C>(datagram, ctx, plain);
  if (!r) return;
  const auto type = r.packet.type;
  FUZZ_CHECK((allowed & netcode::packet_type_bit(type)) != 0);
  if (type == netcode::PacketType::connection_request) {
    FUZZ_CHECK(datagram.size() == netcode::connection_request_bytes);
    FUZZ_CHECK(r.packet.plaintext.size() == netcode::private_token_plaintext_bytes);
    FUZZ_CHECK(r.packet.expire_timestamp > ctx.unix_now);
    if (auto t = netcode::read_private_token(r.packet.plaintext)) {
      FUZZ_CHECK(t->server_addresses.size() >= 1 && t->server_addresses.size() <= 32);
      // Round trip: a parsed private token writes back and parses to the same fields.
      std::array<std::byte, netcode::connect_token_private_bytes> again{};
      FUZZ_CHECK(netcode::write_private_token(*t, again));
      auto t2 = netcode::read_private_token(std::span(again).first(netcode::private_token_plaintext_bytes));
      FUZZ_CHECK(t2 && t2->client_id == t->client_id && t2->user_data == t->user_data &&
                 t2->server_addresses == t->server_addresses && t2->timeout_seconds == t->timeout_seconds &&
                 t2->client_to_server_key == t->client_to_server_key);
    }
    return;
  }
  FUZZ_CHECK(netcode::detail::plaintext_size_ok(type, r.packet.plaintext.size()));
  // Sequence 2^64-1 is the one exception: the reference marks an empty slot with that value, so
  // the replay window never records it (kept for byte-exact interoperability, see
  // ReplayProtection) and a duplicate of it is accepted again. Reaching it takes a sender 2^64 packets under its key.
  if (with_replay && netcode::replay_protected(type) && r.packet.sequence != netcode::ReplayProtection<>::unrecorded) {
    const auto again = netcode::read_packet<C>(datagram, ctx, plain);
    FUZZ_CHECK(!again && again.reason == DropReason::replayed);
  }
}

inline void read_packet_target(const std::uint8_t* data, std::size_t size, netcode::PacketTypeSet allowed) {
  Input in(data, size);
  const std::uint8_t mode = in.u8();
  const auto datagram = in.rest();
  if (mode & 1)
    read_one<Netcode102>(datagram, allowed, (mode & 2) != 0);
  else
    read_one<OpenCrypto>(datagram, allowed, (mode & 2) != 0);
}

}  // namespace courier::fuzz
