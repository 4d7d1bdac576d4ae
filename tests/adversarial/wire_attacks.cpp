// Attacks on the wire against typed Client<Game> / Server<Game> (real Netcode102 crypto):
// replayed datagrams, every single-bit flip of every packet type in both directions, every
// truncation and several extensions, spoofed source addresses, forged packets under the wrong
// key, and the amplification bound for every unauthenticated input. tests/netcode covers the
// reader and the netcode server alone; these check that nothing reaches the typed layer either
// (no message, no connection, no disconnection) and that live connections are untouched.

#include "adversarial/wire.hpp"

#include <boost/test/unit_test.hpp>

#include <courier/core/random.hpp>
#include <courier/netcode/connect_token.hpp>

namespace {

using namespace courier;
using namespace courier::adversarial;
using namespace std::chrono_literals;
namespace nc = courier::netcode;

/// The server's events since the last call, by kind.
struct Tally {
  std::size_t connected = 0, disconnected = 0, messages = 0, requests = 0, other = 0;
};

Tally tally(Server<Pack>& s) {
  Tally t;
  for (const auto& e : drain(s)) {
    std::visit(overloaded{
                   [&](const server_event::Connected<Login>&) { ++t.connected; },
                   [&](const server_event::Disconnected&) { ++t.disconnected; },
                   [&](const auto& ev) {
                     using E = std::decay_t<decltype(ev)>;
                     if constexpr (requires { ev.message; }) ++t.messages;
                     else if constexpr (requires { ev.token; }) ++t.requests;
                     else ++t.other;
                     (void)sizeof(E);
                   },
               },
               e);
  }
  return t;
}

/// Client events other than messages this client expects (here: any at all).
std::size_t client_events(Client<Pack>& c) { return drain(c).size(); }

/// A session worth attacking: two clients connected and talking (A with id 1, B with id 2),
/// their tokens kept (their keys let the test forge well-formed packets for each direction).
struct Session {
  Arena arena{4};
  std::optional<Token> token_a, token_b;
  Client<Pack>* a = nullptr;
  Client<Pack>* b = nullptr;

  Session() {
    a = &arena.add_client();
    b = &arena.add_client();
    token_a = arena.token(1);
    token_b = arena.token(2);
    BOOST_REQUIRE(!a->connect(*token_a, Login{"a"}));
    BOOST_REQUIRE(!b->connect(*token_b, Login{"b"}));
    BOOST_REQUIRE(arena.run_until([&] { return a->connected() && b->connected(); }));
    for (int i = 0; i < 5; ++i) {
      BOOST_REQUIRE(static_cast<bool>(a->send(Chat{"hi"})));
      BOOST_REQUIRE(static_cast<bool>(a->send(Ping{std::uint32_t(i)})));
      const auto h = arena.server->find(1);
      BOOST_REQUIRE(h.has_value());
      BOOST_REQUIRE(static_cast<bool>(arena.server->send(*h, Chat{"yo"})));
    }
    arena.run_for(500ms);
    (void)tally(*arena.server);
    (void)client_events(*a);
    (void)client_events(*b);
  }

  Address addr_a() const { return arena.client_addresses[0]; }
  Address addr_b() const { return arena.client_addresses[1]; }

  /// The server and both clients see nothing new and both clients stay connected.
  void expect_untouched(const char* what) {
    arena.run_for(300ms);
    const Tally t = tally(*arena.server);
    BOOST_TEST_CONTEXT(what) {
      BOOST_TEST(t.connected == 0u);
      BOOST_TEST(t.disconnected == 0u);
      BOOST_TEST(t.messages == 0u);
      BOOST_TEST(t.requests == 0u);
      BOOST_TEST(client_events(*a) == 0u);
      BOOST_TEST(client_events(*b) == 0u);
      BOOST_TEST(a->connected());
      BOOST_TEST(b->connected());
      BOOST_TEST(arena.server->num_connected() == 2u);
    }
  }
};

/// Well-formed packets of every type, sealed under the right keys, from a client's token:
/// client→server (request, response, keep-alive, payload, disconnect) and server→client
/// (challenge, denied, keep-alive, payload, disconnect). Sequences are far above anything the
/// session used; the tests only ever deliver them damaged.
struct Forged {
  std::vector<std::pair<nc::PacketType, std::vector<std::byte>>> to_server, to_client;
};

Forged forge(const Token& raw, std::uint64_t protocol_id) {
  const auto t = nc::read_connect_token(raw.bytes());
  BOOST_REQUIRE(t.has_value());
  Forged f;
  std::array<std::byte, 1500> buf{};
  const auto keep = [&](auto& list, nc::PacketType type, std::size_t n) {
    BOOST_REQUIRE(n > 0u);
    list.emplace_back(type, std::vector<std::byte>(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n)));
  };
  const nc::ConnectionRequestPacket req{t->protocol_id, t->expire_timestamp, t->nonce, t->private_data};
  keep(f.to_server, nc::PacketType::connection_request, nc::write_connection_request(req, buf));
  std::array<std::byte, nc::challenge_token_bytes> challenge{};
  const std::uint64_t seq = 1'000'000;
  keep(f.to_server, nc::PacketType::connection_response,
       nc::write_challenge_or_response<Netcode102>(nc::PacketType::connection_response, 7, challenge, seq,
                                                   protocol_id, t->client_to_server_key, buf));
  keep(f.to_server, nc::PacketType::keep_alive,
       nc::write_keep_alive<Netcode102>(0, 4, seq + 1, protocol_id, t->client_to_server_key, buf));
  const std::array<std::byte, 24> body{std::byte{1}, std::byte{2}, std::byte{3}};
  keep(f.to_server, nc::PacketType::payload,
       nc::write_payload<Netcode102>(body, seq + 2, protocol_id, t->client_to_server_key, buf));
  keep(f.to_server, nc::PacketType::disconnect,
       nc::write_disconnect<Netcode102>(seq + 3, protocol_id, t->client_to_server_key, buf));

  keep(f.to_client, nc::PacketType::connection_challenge,
       nc::write_challenge_or_response<Netcode102>(nc::PacketType::connection_challenge, 7, challenge, seq,
                                                   protocol_id, t->server_to_client_key, buf));
  keep(f.to_client, nc::PacketType::connection_denied,
       nc::write_connection_denied<Netcode102>(seq + 1, protocol_id, t->server_to_client_key, buf));
  keep(f.to_client, nc::PacketType::keep_alive,
       nc::write_keep_alive<Netcode102>(0, 4, seq + 2, protocol_id, t->server_to_client_key, buf));
  keep(f.to_client, nc::PacketType::payload,
       nc::write_payload<Netcode102>(body, seq + 3, protocol_id, t->server_to_client_key, buf));
  keep(f.to_client, nc::PacketType::disconnect,
       nc::write_disconnect<Netcode102>(seq + 4, protocol_id, t->server_to_client_key, buf));
  return f;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(wire_attacks_test)

BOOST_AUTO_TEST_CASE(every_recorded_datagram_replayed_changes_nothing) {
  Session s;
  const auto up = s.arena.captured(s.addr_a(), s.arena.server_address);
  const auto down = s.arena.captured(s.arena.server_address, s.addr_a());
  BOOST_TEST_MESSAGE("replaying " << up.size() << " datagrams up, " << down.size() << " down");
  BOOST_REQUIRE(up.size() >= 5u);  // request, response, payloads, keep-alives
  BOOST_REQUIRE(down.size() >= 5u);
  const auto replayed_before = s.arena.server->stats().netcode.drops[DropReason::replayed];
  for (int round = 0; round < 2; ++round) {
    for (const auto& d : up) s.arena.inject(d.from, d.bytes);
    for (const auto& d : down) s.arena.inject_to(d.to, d.bytes);
    s.expect_untouched("replay of A's whole session, both directions");
  }
  BOOST_TEST(s.arena.server->stats().netcode.drops[DropReason::replayed] > replayed_before);
}

BOOST_AUTO_TEST_CASE(every_single_bit_flip_of_every_packet_type_is_refused_both_ways) {
  Session s;
  const Forged f = forge(*s.token_a, Pack::protocol_id);
  const Address stranger = typed_addr("10.6.6.6:6666");
  std::size_t flips = 0;
  s.arena.log.sent.clear();
  for (const auto& [type, bytes] : f.to_server) {
    // A request is an unauthenticated input: it comes from a stranger. Everything else claims
    // to be A, whose keys are live on the server.
    const Address from = type == nc::PacketType::connection_request ? stranger : s.addr_a();
    for (std::size_t bit = 0; bit < bytes.size() * 8; ++bit) {
      auto bad = bytes;
      bad[bit / 8] ^= static_cast<std::byte>(1u << (bit % 8));
      s.arena.inject(from, bad);
      if (++flips % 512 == 0) s.arena.tick();
    }
  }
  for (const auto& [type, bytes] : f.to_client) {
    for (std::size_t bit = 0; bit < bytes.size() * 8; ++bit) {
      auto bad = bytes;
      bad[bit / 8] ^= static_cast<std::byte>(1u << (bit % 8));
      s.arena.inject_to(s.addr_a(), bad);
      if (++flips % 512 == 0) s.arena.tick();
    }
  }
  BOOST_TEST(flips > 15000u);  // 1 958 bytes of packets, every bit of each
  s.expect_untouched("every bit flip");
  BOOST_TEST(s.arena.log.bytes_to(stranger) == 0u);  // no flipped request got a challenge

  // Control: the same packets undamaged do what they say (so the flips tested real packets).
  for (const auto& [type, bytes] : f.to_server)
    if (type == nc::PacketType::disconnect) s.arena.inject(s.addr_a(), bytes);
  BOOST_TEST(s.arena.run_until([&] { return s.arena.server->num_connected() == 1u; }, 2s));
}

BOOST_AUTO_TEST_CASE(truncated_and_oversized_datagrams_are_refused) {
  Session s;
  const Forged f = forge(*s.token_a, Pack::protocol_id);
  const Address stranger = typed_addr("10.6.6.7:6666");
  std::size_t sent = 0;
  auto lengths = [](std::size_t n) {
    std::vector<std::size_t> out;
    for (std::size_t k = 0; k < n; ++k) out.push_back(k);                       // every truncation
    for (std::size_t k : {n + 1, n + 7, n + 16, std::size_t{1199}, std::size_t{1200}, std::size_t{1201},
                          std::size_t{1300}, std::size_t{1400}, std::size_t{1500}})
      if (k > n && k <= 1500) out.push_back(k);                                 // oversized
    return out;
  };
  for (const auto& [type, bytes] : f.to_server) {
    const Address from = type == nc::PacketType::connection_request ? stranger : s.addr_a();
    for (std::size_t n : lengths(bytes.size())) {
      std::vector<std::byte> d(n, std::byte{0xA5});
      std::copy_n(bytes.begin(), std::min(n, bytes.size()), d.begin());
      s.arena.inject(from, d);
      if (++sent % 512 == 0) s.arena.tick();
    }
  }
  for (const auto& [type, bytes] : f.to_client)
    for (std::size_t n : lengths(bytes.size())) {
      std::vector<std::byte> d(n, std::byte{0x5A});
      std::copy_n(bytes.begin(), std::min(n, bytes.size()), d.begin());
      s.arena.inject_to(s.addr_a(), d);
      if (++sent % 512 == 0) s.arena.tick();
    }
  s.expect_untouched("truncations and extensions");
}

BOOST_AUTO_TEST_CASE(spoofed_sources_and_the_wrong_key_are_refused) {
  Session s;
  const auto up = s.arena.captured(s.addr_a(), s.arena.server_address);
  const Address spoofed = typed_addr("10.7.7.7:7777");
  // A's datagrams from an address with no connection: unknown sender, nothing sent back.
  for (const auto& d : up) s.arena.inject(spoofed, d.bytes);
  // A's datagrams claiming to be B: B's key does not open them, B stays.
  for (const auto& d : up) s.arena.inject(s.addr_b(), d.bytes);
  // Packets sealed under A's keys, claiming to be B (and the reverse towards the clients).
  const Forged fa = forge(*s.token_a, Pack::protocol_id);
  for (const auto& [type, bytes] : fa.to_server) s.arena.inject(s.addr_b(), bytes);
  for (const auto& [type, bytes] : fa.to_client) s.arena.inject_to(s.addr_b(), bytes);
  s.expect_untouched("spoofed sources");
  BOOST_TEST(s.arena.log.bytes_to(spoofed) == 0u);
  BOOST_TEST(s.arena.server->stats().netcode.drops[DropReason::decrypt_failed] > 0u);
}

BOOST_AUTO_TEST_CASE(the_server_never_sends_more_than_it_received_before_authentication) {
  // Every input that has not completed a handshake, each from its own address: valid requests
  // (answered with a challenge), the same request replayed many times, requests for a full
  // server (answered with denied), expired and wrong-protocol requests, garbage of every size.
  Arena arena(1);
  auto& holder = arena.add_client();
  BOOST_REQUIRE(arena.connect(holder, 100));  // the server is full from now on
  Rng rng(2026);
  std::uint64_t received_total = 0;
  std::map<std::string, std::uint64_t> received;
  std::vector<Address> sources;
  const auto send_from = [&](const Address& from, std::span<const std::byte> d) {
    arena.inject(from, d);
    received[from.to_string()] += d.size();
    received_total += d.size();
  };
  std::array<std::byte, 1500> buf{};
  for (int i = 0; i < 60; ++i) {
    const Address from = typed_addr("10.8." + std::to_string(i / 200) + "." + std::to_string(1 + i % 200) + ":4000");
    sources.push_back(from);
    const std::int64_t expire = i % 3 == 2 ? -1 : 30;  // some never expire
    const std::uint64_t protocol = i % 5 == 4 ? Pack::protocol_id ^ 1 : Pack::protocol_id;
    ConnectTokenParams p;
    p.protocol_id = protocol;
    p.client_id = 1000 + static_cast<std::uint64_t>(i);
    p.public_addresses = {arena.server_address};
    p.now = i % 7 == 6 ? arena.clock.unix_now() - 100 : arena.clock.unix_now();  // expired
    p.options.expire_seconds = expire < 0 ? 30 : expire;
    p.private_key = typed_test_key();
    const Token t = nc::make_connect_token(p).value();
    const auto token = nc::read_connect_token(t.bytes());
    const nc::ConnectionRequestPacket req{token->protocol_id, token->expire_timestamp, token->nonce, token->private_data};
    const std::size_t n = nc::write_connection_request(req, buf);
    for (int k = 0; k < 1 + i % 4; ++k) send_from(from, std::span(buf).first(n));
    const std::size_t g = rng.below(1501);
    std::vector<std::byte> junk(g);
    for (auto& x : junk) x = static_cast<std::byte>(rng.next());
    if (g > 0 && rng.chance(0.5)) junk[0] = static_cast<std::byte>(rng.below(7) | (rng.below(9) << 4));
    send_from(from, junk);
    arena.tick();
  }
  arena.run_for(2s);
  std::uint64_t sent_total = 0;
  for (const Address& a : sources) {
    const std::uint64_t out = arena.log.bytes_to(a);
    sent_total += out;
    BOOST_TEST_CONTEXT(a.to_string()) { BOOST_TEST(out <= received[a.to_string()]); }
  }
  BOOST_TEST(sent_total <= received_total);
  BOOST_TEST(sent_total > 0u);  // the full server did answer some requests (denied)
  BOOST_TEST(arena.server->stats().netcode.drops[DropReason::token_expired] > 0u);
  BOOST_TEST(arena.server->stats().netcode.drops[DropReason::protocol_mismatch] > 0u);
  BOOST_TEST(holder.connected());
}

BOOST_AUTO_TEST_SUITE_END()
