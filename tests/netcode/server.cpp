// Server rules beyond the reference's client/server tests: restart without nonce reuse, the
// single-use token rule, reuse from another address, duplicate ids, address mismatch, hostile
// datagrams (no crash, no allocation, counted by reason), 4096 slots.

#include <courier/netcode/netcode_server.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <deque>
#include <map>
#include <new>

#include <courier/core/random.hpp>
#include <courier/crypto/aes256gcm.hpp>

#include "netcode/harness.hpp"

// Counts every heap allocation of the test program, to prove the server's receive path makes none.
// g++ 12 at -O2 flags free() on a pointer from the (replaced) operator new; the pair is consistent.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
namespace {
std::atomic<std::size_t> g_allocations{0};
}
void* operator new(std::size_t n) {
  ++g_allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace nc = courier::netcode;
using namespace courier::test;
using namespace std::chrono_literals;
using courier::DropReason;
using courier::Loopback;

namespace {

const auto server_a = test_server_address;

/// A test-only transport with unbounded per-address queues, for thousands of endpoints.
struct Hub {
  std::map<std::pair<std::uint8_t, std::array<std::uint8_t, 18>>, std::deque<courier::Datagram>> boxes;
  static std::pair<std::uint8_t, std::array<std::uint8_t, 18>> key(const courier::Address& a) {
    std::array<std::uint8_t, 18> k{};
    std::copy(a.bytes().begin(), a.bytes().end(), k.begin());
    k[16] = static_cast<std::uint8_t>(a.port() >> 8);
    k[17] = static_cast<std::uint8_t>(a.port());
    return {static_cast<std::uint8_t>(a.family()), k};
  }
};

class HubEndpoint {
 public:
  HubEndpoint(Hub& hub, courier::Address address) : hub_(&hub), address_(address) {}
  std::error_code send(const courier::Address& to, std::span<const std::byte> bytes) noexcept {
    courier::Datagram d;
    d.from = address_;
    d.size = bytes.size();
    std::copy(bytes.begin(), bytes.end(), d.data.begin());
    hub_->boxes[Hub::key(to)].push_back(d);
    return {};
  }
  void flush() noexcept {}
  std::size_t receive(std::span<courier::Datagram> slots) noexcept {
    auto& box = hub_->boxes[Hub::key(address_)];
    std::size_t n = 0;
    while (n < slots.size() && !box.empty()) {
      slots[n++] = box.front();
      box.pop_front();
    }
    return n;
  }
  void update(courier::TimePoint) noexcept {}
  [[nodiscard]] courier::Address local_address() const noexcept { return address_; }

 private:
  Hub* hub_;
  courier::Address address_;
};
static_assert(courier::Transport<HubEndpoint>);

/// Connects `client` to `server` in `world`; true when connected.
bool connect(World& world, LoopClient& client, std::span<const std::byte> token) {
  if (client.connect(token, world.clock.now())) return false;
  return world.run_until([&] { return client.connected(); }, 3s);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(server_test)

BOOST_AUTO_TEST_CASE(invalid_configuration_is_refused_at_construction) {
  courier::LoopbackNetwork network;
  auto config = server_config(addr("0.0.0.0:40000"));  // the classic mistake: a wildcard nobody can dial
  BOOST_CHECK_THROW(LoopServer(Loopback(network, server_a), config), std::system_error);
  config = server_config(server_a);
  config.private_key = courier::Key{};  // unset: refused, with the fix in the message
  BOOST_CHECK_EXCEPTION(LoopServer(Loopback(network, server_a), config), std::system_error,
                        [](const std::system_error& e) { return std::string(e.what()).find("Key::random") != std::string::npos; });
  config = server_config(server_a, 0);
  BOOST_CHECK_THROW(LoopServer(Loopback(network, addr("10.0.0.2:1")), config), std::system_error);
  if (!courier::Aes256Gcm::available()) {
    BOOST_CHECK_THROW((nc::NetcodeServer<Loopback, courier::Aes256Gcm>(Loopback(network, addr("10.0.0.3:1")), server_config(server_a))),
                      std::system_error);
  }
}

BOOST_AUTO_TEST_CASE(aes256gcm_client_and_server_connect_where_available) {
  if (!courier::Aes256Gcm::available()) return;
  World world;
  nc::NetcodeServer<Loopback, courier::Aes256Gcm> server(Loopback(world.network, server_a), server_config(server_a));
  nc::NetcodeClient<Loopback, courier::Aes256Gcm> client(Loopback(world.network, addr("10.0.1.1:50000")));
  world.add_server(server);
  world.add_client(client);
  BOOST_REQUIRE(!client.connect(make_token(1, {server_a}, world.clock.unix_now()), world.clock.now()));
  BOOST_TEST(world.run_until([&] { return client.connected(); }));
}

BOOST_AUTO_TEST_CASE(server_restart_reseeds_the_global_sequence_and_the_challenge_key) {
  World world;
  std::vector<WireRecord> wire;
  nc::NetcodeServer<Recorded<Loopback>> server(Recorded<Loopback>(Loopback(world.network, server_a), &wire), server_config(server_a));
  LoopClient client(Loopback(world.network, addr("10.0.1.1:50000")));
  world.add_server(server);
  world.add_client(client);
  BOOST_REQUIRE(connect(world, client, make_token(1, {server_a}, world.clock.unix_now())));
  BOOST_REQUIRE(!wire.empty());
  const auto first_challenge = wire.front().bytes;
  server.stop();
  BOOST_TEST(!server.running());
  world.step();
  BOOST_TEST((client.state() == nc::ClientState::disconnected));  // stop sent disconnect packets
  server.start();
  wire.clear();
  BOOST_REQUIRE(connect(world, client, make_token(1, {server_a}, world.clock.unix_now())));
  const auto second_challenge = wire.front().bytes;
  // Both challenges carry 8 sequence bytes with the high bit set: the global space never meets
  // the per-client space (0, 1, 2...) under one key. The restart re-seeded the random low bits,
  // so the retried token's second challenge is not sealed with the first one's nonce.
  for (const auto* c : {&first_challenge, &second_challenge}) {
    BOOST_REQUIRE(c->size() == 333u);
    BOOST_TEST(static_cast<int>((*c)[0]) == 0x82);
    BOOST_TEST((static_cast<int>((*c)[8]) & 0x80) == 0x80);
  }
  BOOST_TEST(!std::equal(first_challenge.begin() + 1, first_challenge.begin() + 9,
                         second_challenge.begin() + 1));
  BOOST_TEST(server.stats().sent_of(nc::PacketType::connection_challenge) == 2u);
}

BOOST_AUTO_TEST_CASE(reference_seeding_is_exactly_one_shl_63_at_every_start) {
  World world;
  auto config = server_config(server_a);
  config.randomize_global_sequence = false;
  LoopServer server(Loopback(world.network, server_a), config);
  BOOST_TEST(server.next_global_sequence() == std::uint64_t{1} << 63);
  server.stop();
  server.start();
  BOOST_TEST(server.next_global_sequence() == std::uint64_t{1} << 63);
}

BOOST_AUTO_TEST_CASE(default_seeding_keeps_the_high_bit_and_differs_per_start) {
  World world;
  LoopServer server(Loopback(world.network, server_a), server_config(server_a));
  const auto first = server.next_global_sequence();
  server.stop();
  server.start();
  const auto second = server.next_global_sequence();
  BOOST_TEST((first >> 63) == 1u);
  BOOST_TEST((second >> 63) == 1u);
  BOOST_TEST(first != second);  // 62 random bits: equal with probability 2^-62
}

BOOST_AUTO_TEST_CASE(a_challenge_from_before_a_restart_is_refused_after_it) {
  World world;
  std::vector<WireRecord> wire;
  LoopServer server(Loopback(world.network, server_a), server_config(server_a));
  nc::NetcodeClient<Recorded<Loopback>> client(Recorded<Loopback>(Loopback(world.network, addr("10.0.1.1:50000")), &wire));
  world.add_server(server);
  world.add_client(client);
  BOOST_REQUIRE(!client.connect(make_token(1, {server_a}, world.clock.unix_now()), world.clock.now()));
  BOOST_REQUIRE(world.run_until([&] { return client.connected(); }));
  std::vector<std::byte> response;
  for (const auto& w : wire)
    if (w.bytes.size() == 326 && (static_cast<int>(w.bytes[0]) & 0xf) == 3) response = w.bytes;
  BOOST_REQUIRE(!response.empty());
  client.disconnect();
  world.step();
  server.stop();
  server.start();
  Loopback replay(world.network, addr("10.0.1.1:50001"));
  BOOST_REQUIRE(!replay.send(server_a, response));
  world.step();
  BOOST_TEST(server.num_connected_clients() == 0u);
  BOOST_TEST(server.stats().drops[DropReason::unknown_sender] >= 1u);  // no mapping for it any more
}

BOOST_FIXTURE_TEST_CASE(a_consumed_token_is_refused_after_its_connection_ends, Setup) {
  const auto consumed = token(1, 30, 1);
  BOOST_REQUIRE(connect(consumed));
  client.disconnect();
  step();
  BOOST_REQUIRE(server.num_connected_clients() == 0u);
  BOOST_TEST(!connect(consumed));  // same token, same address
  BOOST_TEST(server.stats().tokens_refused_consumed >= 1u);
  BOOST_TEST(server.stats().drops[DropReason::token_reused] >= 1u);
  LoopClient other(Loopback(network, addr("10.0.1.2:50000")));
  add_client(other);
  BOOST_TEST(!connect(other, consumed));   // same token, another address
  BOOST_TEST(connect(token()));  // a fresh token works
}

// A refused reused token is not only counted: the server's log says what happened, once per
// ten seconds however many come (with the count of those left out), so a flood cannot flood it.
BOOST_AUTO_TEST_CASE(a_reused_token_is_logged_at_a_bounded_rate) {
  std::vector<std::string> log;
  auto config = server_config(courier::test::test_server_address);
  config.log = [&log](std::string_view line) { log.emplace_back(line); };
  Setup s(config);
  const auto consumed = s.token(1, 30, 1);
  BOOST_REQUIRE(s.connect(consumed));
  s.client.disconnect();
  s.step();
  BOOST_TEST(!s.connect(s.client, consumed, 2s));  // ~20 requests of a consumed token
  const auto used = [&] {
    std::size_t n = 0;
    for (const auto& l : log) n += l.find("already used") != std::string::npos ? 1 : 0;
    return n;
  };
  BOOST_TEST(used() == 1u);
  BOOST_TEST(s.server.stats().tokens_refused_consumed >= 10u);
  s.run_until([] { return false; }, 9s);
  BOOST_TEST(!s.connect(s.client, consumed, 2s));
  BOOST_REQUIRE_EQUAL(used(), 2u);
  BOOST_TEST(log.back().find("more since the last") != std::string::npos);
  BOOST_TEST(log.back().find(courier::test::test_client_address.to_string()) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_token_replayed_from_another_address_is_refused) {
  World world;
  std::vector<WireRecord> wire;
  LoopServer server(Loopback(world.network, server_a), server_config(server_a));
  nc::NetcodeClient<Recorded<Loopback>> client(Recorded<Loopback>(Loopback(world.network, addr("10.0.1.1:50000")), &wire));
  BOOST_REQUIRE(!client.connect(make_token(1, {server_a}, world.clock.unix_now()), world.clock.now()));
  client.update(world.clock.now());  // the request goes out, unencrypted, visible to anyone
  BOOST_REQUIRE(wire.size() == 1u);
  server.update(world.clock);        // the server records the token for 10.0.1.1
  Loopback attacker(world.network, addr("10.6.6.6:666"));
  BOOST_REQUIRE(!attacker.send(server_a, wire[0].bytes));
  server.update(world.clock);
  BOOST_TEST(server.stats().drops[DropReason::token_reused] == 1u);
  BOOST_TEST(server.stats().sent_of(nc::PacketType::connection_challenge) == 1u);  // none for the attacker
  world.add_server(server);
  world.add_client(client);
  BOOST_TEST(world.run_until([&] { return client.connected(); }));  // the real client still connects
}

BOOST_AUTO_TEST_CASE(duplicate_client_id_and_duplicate_address_are_refused) {
  World world;
  LoopServer server(Loopback(world.network, server_a), server_config(server_a));
  LoopClient first(Loopback(world.network, addr("10.0.1.1:50000")));
  LoopClient twin(Loopback(world.network, addr("10.0.1.2:50000")));
  world.add_server(server);
  world.add_client(first);
  world.add_client(twin);
  BOOST_REQUIRE(connect(world, first, make_token(77, {server_a}, world.clock.unix_now(), 30, 1)));
  BOOST_TEST(!connect(world, twin, make_token(77, {server_a}, world.clock.unix_now(), 30, 1)));
  BOOST_TEST(server.stats().drops[DropReason::already_connected] >= 1u);
  BOOST_TEST(server.num_connected_clients() == 1u);
  // A request from an address that is already connected is refused too.
  const auto before = server.stats().drops[DropReason::already_connected];
  std::vector<WireRecord> wire;
  nc::NetcodeClient<Recorded<Loopback>> probe(Recorded<Loopback>(Loopback(world.network, addr("10.0.1.3:50000")), &wire));
  BOOST_REQUIRE(!probe.connect(make_token(78, {server_a}, world.clock.unix_now()), world.clock.now()));
  probe.update(world.clock.now());
  BOOST_REQUIRE(!wire.empty());
  // Deliver the probe's request as if it came from `first`'s address.
  world.network.deliver(first.transport().local_address(), server_a, wire[0].bytes);
  world.step();
  BOOST_TEST(server.stats().drops[DropReason::already_connected] == before + 1);
}

BOOST_AUTO_TEST_CASE(public_address_is_separate_from_the_bind_address) {
  // The backend lists 203.0.113.7:40000 internally (what the server calls itself) and
  // 10.0.0.1:40000 publicly (what the client dials, e.g. through a NAT).
  World world;
  const auto internal = addr("203.0.113.7:40000");
  LoopServer server(Loopback(world.network, server_a), server_config(internal));
  LoopClient client(Loopback(world.network, addr("10.0.1.1:50000")));
  world.add_server(server);
  world.add_client(client);
  BOOST_TEST((server.bind_address() == server_a));
  BOOST_TEST((server.public_address() == internal));
  BOOST_TEST(connect(world, client, make_token(1, {server_a}, world.clock.unix_now(), 30, 5, {internal})));
}

BOOST_AUTO_TEST_CASE(an_unset_public_address_is_the_bound_address) {
  World world;
  LoopServer server(Loopback(world.network, server_a), server_config(courier::Address{}));
  BOOST_TEST((server.public_address() == server_a));
}

// A server reached over two links (e.g. UDP and WebSocket) accepts tokens that list either
// address: tokens carry no link kind, so the comparison ignores it; its own tokens list both,
// the preferred link first.
BOOST_AUTO_TEST_CASE(other_public_addresses_also_name_the_server) {
  World world;
  auto config = server_config(server_a);
  const auto ws = addr("ws://10.0.0.1:40080");
  config.other_public_addresses.push_back(ws);
  LoopServer server(Loopback(world.network, server_a), config);
  LoopClient client(Loopback(world.network, addr("10.0.1.1:50000")));
  world.add_server(server);
  world.add_client(client);
  // The client dials server_a; the token's internal list (what the server checks) names only the ws address.
  BOOST_TEST(connect(world, client, make_token(1, {server_a}, world.clock.unix_now(), 30, 5, {addr("10.0.0.1:40080")})));
  const auto udp_first = server.public_addresses(courier::Address::Link::datagram);
  BOOST_REQUIRE(udp_first.size() == 2u);
  BOOST_TEST((udp_first[0] == server_a));
  BOOST_TEST((udp_first[1] == ws));
  const auto ws_first = server.public_addresses(courier::Address::Link::websocket);
  BOOST_TEST((ws_first[0] == ws));
  BOOST_TEST((ws_first[1] == server_a));
  config.other_public_addresses.push_back(addr("0.0.0.0:1"));
  BOOST_TEST(!config.check().empty());
}

BOOST_AUTO_TEST_CASE(an_address_mismatch_is_counted_reported_and_logged_once) {
  World world;
  std::vector<std::string> log;
  auto config = server_config(addr("10.0.0.9:40000"));  // not the address the tokens list
  config.log = [&log](std::string_view line) { log.emplace_back(line); };
  LoopServer server(Loopback(world.network, server_a), config);
  LoopClient client(Loopback(world.network, addr("10.0.1.1:50000")));
  world.add_server(server);
  world.add_client(client);
  BOOST_TEST(!connect(world, client, make_token(1, {server_a}, world.clock.unix_now())));
  const auto& stats = server.stats();
  BOOST_TEST(stats.address_mismatches >= 10u);
  BOOST_TEST(stats.drops[DropReason::address_mismatch] == stats.address_mismatches);
  BOOST_TEST((stats.last_mismatch_token_address == server_a));
  BOOST_TEST((stats.last_mismatch_from == addr("10.0.1.1:50000")));
  std::size_t events = 0;
  while (auto e = server.poll_event()) {
    BOOST_TEST((e->type == nc::ServerEventType::address_mismatch));
    BOOST_TEST((e->token_address == server_a));
    ++events;
  }
  BOOST_TEST(events == 1u);
  BOOST_REQUIRE(log.size() == 1u);
  BOOST_TEST(log[0].find("10.0.0.1:40000") != std::string::npos);
  BOOST_TEST(log[0].find("10.0.0.9:40000") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(hostile_datagrams_never_crash_allocate_or_change_state) {
  World world;
  std::vector<WireRecord> wire;
  LoopServer server(Loopback(world.network, server_a), server_config(server_a));
  nc::NetcodeClient<Recorded<Loopback>> client(Recorded<Loopback>(Loopback(world.network, addr("10.0.1.1:50000")), &wire));
  world.add_server(server);
  world.add_client(client);
  BOOST_REQUIRE(!client.connect(make_token(1, {server_a}, world.clock.unix_now()), world.clock.now()));
  BOOST_REQUIRE(world.run_until([&] { return client.connected(); }));
  std::array<std::byte, 3> hello{};
  BOOST_REQUIRE(!client.send(hello));
  world.step();
  while (server.receive()) {}
  world.step();
  wire.reserve(wire.size() + 64);
  const auto captured = wire;  // request, response, keep-alives, a payload
  const auto received_before = server.stats().payloads_received;
  courier::Rng rng(12345);
  const auto probe_before = g_allocations.load();
  { auto probe = std::make_unique<int>(1); }
  BOOST_REQUIRE(g_allocations.load() > probe_before);  // the counter does see allocations
  const auto allocations_before = g_allocations.load();
  std::size_t injected = 0;
  for (const auto& w : captured) {
    for (std::size_t bit = 0; bit < w.bytes.size() * 8; bit += 3) {
      std::array<std::byte, 1500> bad{};
      std::copy(w.bytes.begin(), w.bytes.end(), bad.begin());
      bad[bit / 8] ^= static_cast<std::byte>(1u << (bit % 8));
      world.network.deliver(w.from, server_a, std::span(bad).first(w.bytes.size()));
      ++injected;
      if (injected % 256 == 0) server.update(world.clock);
    }
  }
  std::array<std::byte, 1500> noise{};
  for (int i = 0; i < 2000; ++i) {
    const std::size_t n = rng.below(noise.size() + 1);
    for (std::size_t k = 0; k < n; ++k) noise[k] = static_cast<std::byte>(rng.next());
    if (n > 0 && rng.chance(0.3)) noise[0] = static_cast<std::byte>(rng.below(7) | (rng.below(9) << 4));
    world.network.deliver(rng.chance(0.5) ? captured.front().from : addr("10.9.9.9:9"), server_a, std::span(noise).first(n));
    if (i % 256 == 0) server.update(world.clock);
  }
  server.update(world.clock);
  BOOST_TEST(g_allocations.load() == allocations_before);
  BOOST_TEST(server.num_connected_clients() == 1u);
  BOOST_TEST(server.stats().payloads_received == received_before);  // no flipped payload got through
  BOOST_TEST(server.stats().drops.total() >= injected);
  BOOST_TEST(server.stats().drops[DropReason::decrypt_failed] > 0u);
  world.step(10ms, 10);
  BOOST_TEST(client.connected());  // the real connection is untouched
}

// A payload the server has no room for is refused by its prefix before it is decrypted: a
// tampered one is counted queue_full, not decrypt_failed, while the queue is full. Keep-alives
// are still read, and once the application drains the queue payloads are accepted again.
BOOST_AUTO_TEST_CASE(a_full_payload_queue_refuses_payloads_before_decrypting_them) {
  World world;
  std::vector<WireRecord> wire;
  auto config = server_config(server_a);
  config.payload_queue_size = 4;
  LoopServer server(Loopback(world.network, server_a), config);
  nc::NetcodeClient<Recorded<Loopback>> client(Recorded<Loopback>(Loopback(world.network, addr("10.0.1.1:50000")), &wire));
  world.add_server(server);
  world.add_client(client);
  BOOST_REQUIRE(!client.connect(make_token(1, {server_a}, world.clock.unix_now()), world.clock.now()));
  BOOST_REQUIRE(world.run_until([&] { return client.connected(); }));
  std::array<std::byte, 3> hello{};
  for (int i = 0; i < 5; ++i) BOOST_REQUIRE(!client.send(hello));
  world.step();
  BOOST_TEST(server.stats().payloads_received == 4u);  // the queue holds four, undrained
  BOOST_TEST(server.stats().drops[DropReason::queue_full] == 1u);

  // A payload with a broken MAC: with room it would fail to decrypt; without room it is never tried.
  const auto payload = std::find_if(wire.rbegin(), wire.rend(), [](const WireRecord& w) { return nc::detail::is_payload_prefix(w.bytes); });
  BOOST_REQUIRE(payload != wire.rend());
  // Copies: `wire` grows (and moves) as the world steps, so no reference into it is kept.
  const courier::Address client_address = payload->from;
  std::vector<std::byte> tampered = payload->bytes;
  tampered.back() ^= std::byte{1};
  world.network.deliver(client_address, server_a, tampered);
  world.step();
  BOOST_TEST(server.stats().drops[DropReason::queue_full] == 2u);
  BOOST_TEST(server.stats().drops[DropReason::decrypt_failed] == 0u);

  world.step(100ms, 15);  // keep-alives still arrive and are read: the client stays connected
  BOOST_TEST(server.num_connected_clients() == 1u);
  BOOST_TEST(client.connected());

  while (server.receive()) {
  }
  world.network.deliver(client_address, server_a, tampered);
  BOOST_REQUIRE(!client.send(hello));
  world.step();
  BOOST_TEST(server.stats().drops[DropReason::decrypt_failed] == 1u);  // room again: tried, refused
  BOOST_TEST(server.stats().payloads_received == 5u);
}

// The same rule on the client: a payload from the server it has no room for is not decrypted.
BOOST_AUTO_TEST_CASE(a_client_with_a_full_queue_refuses_payloads_before_decrypting_them) {
  World world;
  std::vector<WireRecord> wire;
  nc::NetcodeServer<Recorded<Loopback>> server(Recorded<Loopback>(Loopback(world.network, server_a), &wire),
                                               server_config(server_a));
  nc::NetcodeClientConfig small;
  small.payload_queue_size = 2;
  const auto client_a = addr("10.0.1.1:50000");
  LoopClient client(Loopback(world.network, client_a), small);
  world.add_server(server);
  world.add_client(client);
  BOOST_REQUIRE(!client.connect(make_token(1, {server_a}, world.clock.unix_now()), world.clock.now()));
  BOOST_REQUIRE(world.run_until([&] { return client.connected(); }));
  std::array<std::byte, 3> hello{};
  for (int i = 0; i < 3; ++i) BOOST_REQUIRE(!server.send(client.client_index(), hello));
  world.step();
  BOOST_TEST(client.stats().payloads_received == 2u);
  BOOST_TEST(client.stats().drops[DropReason::queue_full] == 1u);
  const auto payload = std::find_if(wire.rbegin(), wire.rend(), [](const WireRecord& w) { return nc::detail::is_payload_prefix(w.bytes); });
  BOOST_REQUIRE(payload != wire.rend());
  std::vector<std::byte> tampered = payload->bytes;
  tampered.back() ^= std::byte{1};
  world.network.deliver(server_a, client_a, tampered);
  world.step();
  BOOST_TEST(client.stats().drops[DropReason::queue_full] == 2u);
  BOOST_TEST(client.stats().drops[DropReason::decrypt_failed] == 0u);
  BOOST_TEST(client.connected());
}

BOOST_AUTO_TEST_CASE(four_thousand_and_ninety_six_clients_connect) {
  Hub hub;
  courier::ManualClock clock;
  constexpr std::size_t count = 4096;
  nc::NetcodeServer<HubEndpoint> server(HubEndpoint(hub, server_a), server_config(server_a, count));
  nc::NetcodeClientConfig small;
  small.payload_queue_size = 2;
  small.receive_batch = 4;
  std::vector<std::unique_ptr<nc::NetcodeClient<HubEndpoint>>> clients;
  for (std::size_t i = 0; i < count; ++i) {
    const auto a = courier::Address::ipv4(10, 1, static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i), 5000);
    clients.push_back(std::make_unique<nc::NetcodeClient<HubEndpoint>>(HubEndpoint(hub, a), small));
    BOOST_REQUIRE(!clients.back()->connect(make_token(i + 1, {server_a}, clock.unix_now()), clock.now()));
  }
  std::size_t connected = 0;
  for (int tick = 0; tick < 100 && connected < count; ++tick) {
    clock.advance(20ms);
    for (auto& c : clients) c->update(clock.now());
    server.update(clock);
    connected = 0;
    for (auto& c : clients) connected += c->connected() ? 1 : 0;
  }
  BOOST_TEST(connected == count);
  BOOST_TEST(server.num_connected_clients() == count);
  BOOST_TEST(server.find_client(courier::Address::ipv4(10, 1, 15, 255, 5000)).has_value());
  BOOST_TEST(server.stats().drops.total() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
