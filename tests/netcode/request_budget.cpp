// Cheap before expensive: a netcode server refuses what it can without cryptography before it
// opens a connection request's private token (replayed and consumed tokens, an address already
// connected), and it bounds the decryptions it spends per source and per update.

#include <courier/netcode/netcode_server.hpp>

#include <boost/test/unit_test.hpp>

#include "netcode/harness.hpp"

namespace nc = courier::netcode;
using namespace courier::test;
using namespace std::chrono_literals;
using courier::Address;
using courier::DropReason;
using courier::Loopback;
using courier::TimePoint;
using Budget = nc::detail::RequestBudget;

namespace {

/// The first connection request `client_id`'s client sends to the test server, as on the wire.
std::vector<std::byte> captured_request(World& world, std::uint64_t client_id) {
  std::vector<WireRecord> wire;
  nc::NetcodeClient<Recorded<Loopback>> c(Recorded<Loopback>(Loopback(world.network, addr("10.0.9.9:50000")), &wire));
  BOOST_REQUIRE(!c.connect(make_token(client_id, {test_server_address}, world.clock.unix_now()), world.clock.now()));
  c.update(world.clock.now());
  BOOST_REQUIRE(!wire.empty());
  return wire[0].bytes;
}

/// The same request with its sealed token's MAC (its tag, the token's last 16 bytes) changed:
/// well formed, new to the server's history, and it will not decrypt.
std::vector<std::byte> forged(std::vector<std::byte> request, std::uint32_t n) {
  constexpr std::size_t tag_at = 1 + 13 + 8 + 8 + 24 + 1024 - 16;  // prefix, version, protocol, expiry, nonce
  for (std::size_t i = 0; i < 4; ++i) request[tag_at + i] ^= static_cast<std::byte>((n >> (8 * i)) | 1);
  return request;
}

Address nth_address(std::uint32_t n) {
  return Address::ipv4(10, 7, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n), 4000);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(request_budget_test)

BOOST_AUTO_TEST_CASE(a_source_gets_its_burst_then_its_rate) {
  Budget b(64, 10, 3, 0);  // 10 per second, bursts of 3, no per-update limit
  const Address a = nth_address(1);
  TimePoint t{};
  for (int i = 0; i < 3; ++i) BOOST_TEST((b.take(a, t) == Budget::Verdict::allowed));
  BOOST_TEST((b.take(a, t) == Budget::Verdict::source_over_rate));
  BOOST_TEST((b.take(a, t + 50ms) == Budget::Verdict::source_over_rate));
  BOOST_TEST((b.take(a, t + 100ms) == Budget::Verdict::allowed));  // one interval later: one more
  BOOST_TEST((b.take(a, t + 100ms) == Budget::Verdict::source_over_rate));
  BOOST_TEST((b.take(a, t + 2s) == Budget::Verdict::allowed));     // idle: the burst is back
  BOOST_TEST((b.take(a, t + 2s) == Budget::Verdict::allowed));
  BOOST_TEST((b.take(a, t + 2s) == Budget::Verdict::allowed));
  BOOST_TEST((b.take(a, t + 2s) == Budget::Verdict::source_over_rate));
}

BOOST_AUTO_TEST_CASE(another_source_keeps_its_own_budget) {
  Budget b(4096, 10, 2, 0);
  const Address a = nth_address(1);
  std::uint32_t n = 2;
  while (b.bucket_of(nth_address(n)) == b.bucket_of(a)) ++n;  // addresses may share a bucket
  const TimePoint t{};
  BOOST_TEST((b.take(a, t) == Budget::Verdict::allowed));
  BOOST_TEST((b.take(a, t) == Budget::Verdict::allowed));
  BOOST_TEST((b.take(a, t) == Budget::Verdict::source_over_rate));
  BOOST_TEST((b.take(nth_address(n), t) == Budget::Verdict::allowed));
}

BOOST_AUTO_TEST_CASE(the_update_budget_bounds_many_sources_and_starts_again) {
  Budget b(4096, 10, 20, 5);
  const TimePoint t{};
  std::size_t allowed = 0;
  for (std::uint32_t n = 0; n < 100; ++n) allowed += b.take(nth_address(n), t) == Budget::Verdict::allowed ? 1 : 0;
  BOOST_TEST(allowed == 5u);
  BOOST_TEST((b.take(nth_address(200), t) == Budget::Verdict::update_over_budget));
  b.new_update();
  BOOST_TEST((b.take(nth_address(200), t) == Budget::Verdict::allowed));
}

BOOST_AUTO_TEST_CASE(zero_rate_and_zero_budget_turn_the_limits_off) {
  Budget b(1, 0, 0, 0);
  for (int i = 0; i < 10000; ++i) BOOST_REQUIRE((b.take(nth_address(1), TimePoint{}) == Budget::Verdict::allowed));
}

BOOST_AUTO_TEST_CASE(a_rate_above_a_billion_a_second_still_limits) {
  // 1 s / rate rounds to 0 ns there; the interval is kept at 1 ns instead of turning the limit
  // off (found by the source_limits fuzz target). The configs refuse such rates anyway.
  Budget b(16, 2'000'000'000u, 1, 0);
  const TimePoint t{};
  BOOST_TEST((b.take(nth_address(1), t) == Budget::Verdict::allowed));
  BOOST_TEST((b.take(nth_address(1), t) == Budget::Verdict::source_over_rate));
}

BOOST_AUTO_TEST_CASE(bucket_counts_round_up_to_a_power_of_two) {
  BOOST_TEST(Budget(1000, 1, 1, 0).bucket_count() == 1024u);
  BOOST_TEST(Budget(1, 1, 1, 0).bucket_count() == 1u);
}

BOOST_FIXTURE_TEST_CASE(a_replayed_token_is_refused_without_decrypting_it, Setup) {
  const auto request = captured_request(*this, 5);  // on its way to the server from 10.0.9.9
  step();
  BOOST_REQUIRE(server.stats().request_decryptions == 1u);
  BOOST_REQUIRE(server.stats().sent_of(nc::PacketType::connection_challenge) == 1u);
  for (std::uint16_t port = 1; port <= 50; ++port)  // the same request from 50 other sources
    network.deliver(Address::ipv4(10, 6, 6, 6, port), test_server_address, request);
  step();
  BOOST_TEST(server.stats().drops[DropReason::token_reused] == 50u);
  BOOST_TEST(server.stats().request_decryptions == 1u);
  BOOST_TEST(server.stats().sent_of(nc::PacketType::connection_challenge) == 1u);
}

BOOST_FIXTURE_TEST_CASE(a_consumed_token_and_a_connected_address_cost_no_decryption, Setup) {
  const auto t = token(1);
  BOOST_REQUIRE(connect(t));
  const auto request = captured_request(*this, 1);  // another request for client 1, decrypted from 10.0.9.9
  step();
  const auto decrypted = server.stats().request_decryptions;
  network.deliver(test_client_address, test_server_address, request);  // and from the connected address
  step();
  BOOST_TEST(server.stats().drops[DropReason::already_connected] >= 1u);
  BOOST_TEST(server.stats().request_decryptions == decrypted);
  client.disconnect();
  step();
  BOOST_TEST(!connect(client, t, 1s));  // the consumed token, retried ten times
  BOOST_TEST(server.stats().tokens_refused_consumed >= 5u);
  BOOST_TEST(server.stats().request_decryptions == decrypted);
}

BOOST_FIXTURE_TEST_CASE(one_source_flooding_forged_requests_gets_only_its_rate, Setup) {
  const auto request = captured_request(*this, 9);
  const Address flooder = addr("10.6.6.6:666");
  for (int tick = 0; tick < 100; ++tick) {  // 1 s of 100 forged requests every 10 ms
    for (std::uint32_t k = 0; k < 100; ++k)
      network.deliver(flooder, test_server_address, forged(request, static_cast<std::uint32_t>(tick * 100) + k));
    step();
  }
  const auto& config = server.config();
  const auto most = config.request_burst_per_source + config.requests_per_second_per_source + 1;
  BOOST_TEST(server.stats().request_decryptions <= most);
  // Every decryption but the captured request's own (from its real source) failed.
  BOOST_TEST(server.stats().drops[DropReason::token_invalid] + 1 == server.stats().request_decryptions);
  BOOST_TEST(server.stats().drops[DropReason::request_rate] >= 10000u - most);
  BOOST_TEST(server.stats().unauthenticated_datagrams >= 10000u);
  BOOST_TEST(connect(token(2)));  // a player from another address connects at once
}

BOOST_AUTO_TEST_CASE(many_sources_are_bounded_per_update_and_a_player_within_it_connects) {
  auto config = server_config(test_server_address);
  config.max_request_decryptions_per_update = 150;
  Setup s(config);
  const auto request = captured_request(s, 9);
  BOOST_REQUIRE(!s.client.connect(s.token(2), s.clock.now()));
  std::uint32_t n = 0;
  bool connected = false;
  for (int tick = 0; tick < 300 && !connected; ++tick) {
    // 200 forged requests per update, each from a new source (a spoofed flood: no per-source
    // limit applies); the player's request arrives after the first hundred.
    for (std::uint32_t k = 0; k < 100; ++k, ++n) s.network.deliver(nth_address(n), test_server_address, forged(request, n));
    s.clock.advance(10ms);
    s.client.update(s.clock.now());
    for (std::uint32_t k = 0; k < 100; ++k, ++n) s.network.deliver(nth_address(n), test_server_address, forged(request, n));
    s.server.update(s.clock);
    connected = s.client.connected();
    BOOST_REQUIRE(s.server.stats().request_decryptions <= static_cast<std::uint64_t>(tick + 1) * 150u);
  }
  BOOST_TEST(connected);
  BOOST_TEST(s.server.stats().drops[DropReason::request_budget] > 0u);
}

BOOST_AUTO_TEST_CASE(with_the_default_budget_a_player_connects_through_a_spoofed_flood) {
  Setup s;
  const auto request = captured_request(s, 9);
  BOOST_REQUIRE(!s.client.connect(s.token(2), s.clock.now()));
  std::uint32_t n = 0;
  bool connected = false;
  for (int tick = 0; tick < 100 && !connected; ++tick) {
    for (std::uint32_t k = 0; k < 200; ++k, ++n) s.network.deliver(nth_address(n), test_server_address, forged(request, n));
    s.step();
    connected = s.client.connected();
  }
  BOOST_TEST(connected);
  BOOST_TEST(s.server.stats().drops[DropReason::token_invalid] > 0u);
}

BOOST_AUTO_TEST_CASE(a_flood_over_the_budgets_gets_one_log_line_per_interval) {
  std::vector<std::string> log;
  auto config = server_config(test_server_address);
  config.log = [&log](std::string_view line) { log.emplace_back(line); };
  Setup s(config);
  const auto request = captured_request(s, 9);
  for (int tick = 0; tick < 500; ++tick) {  // 5 s of 100 forged requests from one source per 10 ms
    for (std::uint32_t k = 0; k < 100; ++k)
      s.network.deliver(addr("10.6.6.6:666"), test_server_address, forged(request, static_cast<std::uint32_t>(tick * 100) + k));
    s.step();
  }
  std::size_t lines = 0;
  for (const auto& l : log) lines += l.find("decryption budgets") != std::string::npos ? 1 : 0;
  BOOST_TEST(lines == 1u);  // 49 000 refusals, one line (the next one counts those left out)
}

BOOST_AUTO_TEST_CASE(invalid_budget_settings_are_refused) {
  auto config = server_config(test_server_address);
  config.request_burst_per_source = 0;
  BOOST_CHECK_THROW(LoopServer(Loopback(*std::make_unique<courier::LoopbackNetwork>(16), test_server_address), config),
                    std::system_error);
  config = server_config(test_server_address);
  config.requests_per_second_per_source = 2'000'000;
  BOOST_TEST(config.check().find("limits nothing") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
