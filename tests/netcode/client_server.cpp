// The reference implementation's client/server tests, over Loopback and Simulated<Loopback>,
// driven by a ManualClock.

#include <courier/netcode/netcode_client.hpp>
#include <courier/netcode/netcode_server.hpp>
#include <courier/transport/simulated.hpp>

#include <boost/test/unit_test.hpp>

#include "netcode/harness.hpp"

namespace nc = courier::netcode;
using namespace courier::test;
using namespace std::chrono_literals;
using courier::DropReason;
using courier::Loopback;

namespace {

std::vector<std::byte> payload_of(std::size_t n, std::uint8_t seed) {
  std::vector<std::byte> p(n);
  for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<std::byte>(seed + i);
  return p;
}

/// Sends one payload each way and checks both arrive intact.
template <class Server, class Client>
bool exchange(World& world, Server& server, std::uint32_t index, Client& client, std::uint8_t seed) {
  const auto up = payload_of(100, seed);
  const auto down = payload_of(200, static_cast<std::uint8_t>(seed + 1));
  if (client.send(up) || server.send(index, down)) return false;
  bool got_up = false, got_down = false;
  world.run_until([&] {
    while (auto p = server.receive())
      if (p->client_index == index && std::equal(p->bytes.begin(), p->bytes.end(), up.begin(), up.end())) got_up = true;
    while (auto p = client.receive())
      if (std::equal(p->bytes.begin(), p->bytes.end(), down.begin(), down.end())) got_down = true;
    return got_up && got_down;
  }, 2s);
  return got_up && got_down;
}

/// All events of a client, drained.
template <class Client>
std::vector<nc::NetcodeClientEvent> client_events(Client& c) {
  std::vector<nc::NetcodeClientEvent> out;
  while (auto e = c.poll_event()) out.push_back(*e);
  return out;
}

const auto server_a = test_server_address;
const auto server_b = addr("10.0.0.2:40000");
const auto server_c = addr("[2001:db8::3]:40000");

}  // namespace

BOOST_AUTO_TEST_SUITE(client_server_test)

BOOST_FIXTURE_TEST_CASE(client_server_connect_and_exchange_payloads, Setup) {
  BOOST_REQUIRE(!client.connect(token(), clock.now()));
  BOOST_TEST((client.state() == nc::ClientState::sending_connection_request));
  BOOST_REQUIRE(run_until([&] { return client.connected() && server.num_connected_clients() == 1; }));
  BOOST_TEST(client.client_index() == 0u);
  BOOST_TEST(client.max_clients() == 16u);
  const auto event = server.poll_event();
  BOOST_REQUIRE(event.has_value());
  BOOST_TEST((event->type == nc::ServerEventType::client_connected));
  BOOST_TEST(event->client_id == 1u);
  BOOST_TEST(server.client_user_data(0)[5] == 6u);  // user data travelled in the token
  const auto ce = client_events(client);
  BOOST_REQUIRE(ce.size() == 1u);
  BOOST_TEST((ce[0].type == nc::ClientEventType::connected));
  for (std::uint8_t i = 0; i < 10; ++i) BOOST_TEST(exchange(*this, server, 0, client, i));
  BOOST_TEST(server.stats().drops.total() == 0u);
  BOOST_TEST(client.stats().payloads_received >= 10u);
}

BOOST_AUTO_TEST_CASE(client_server_connect_over_a_lossy_simulated_link) {
  using Sim = courier::Simulated<Loopback>;
  World world;
  courier::SimulatedConfig link;
  link.latency = 40ms;
  link.jitter = 10ms;
  link.loss = 0.2;
  link.duplicate = 0.05;
  nc::NetcodeServer<Sim> server(Sim(Loopback(world.network, server_a), link, 1), server_config(server_a));
  nc::NetcodeClient<Sim> client(Sim(Loopback(world.network, addr("10.0.1.1:50000")), link, 2));
  world.add_server(server);
  world.add_client(client);
  BOOST_REQUIRE(!client.connect(make_token(1, {server_a}, world.clock.unix_now()), world.clock.now()));
  BOOST_REQUIRE(world.run_until([&] { return client.connected(); }));
  int delivered = 0;
  for (std::uint8_t i = 0; i < 20; ++i) delivered += exchange(world, server, 0, client, i) ? 1 : 0;
  BOOST_TEST(delivered >= 5);  // 20 % loss each way: most round trips complete
  world.step(10ms, 500);       // 5 s more: keep-alives hold the connection despite loss
  BOOST_TEST(client.connected());
  BOOST_TEST(server.num_connected_clients() == 1u);
}

BOOST_FIXTURE_TEST_CASE(client_server_keep_alive_holds_an_idle_connection, Setup) {
  BOOST_REQUIRE(!client.connect(token(1, 30, 1), clock.now()));
  BOOST_REQUIRE(run_until([&] { return client.connected(); }));
  step(50ms, 200);  // 10 s of silence with a 1 s timeout
  BOOST_TEST(client.connected());
  BOOST_TEST(server.num_connected_clients() == 1u);
  // Ticks of 50 ms: the client's strict "more than 100 ms since the last send" test (the
  // reference's) sends every third tick, the server's "at least 100 ms" every second tick.
  BOOST_TEST(client.stats().sent_of(nc::PacketType::keep_alive) >= 60u);
  BOOST_TEST(server.stats().sent_of(nc::PacketType::keep_alive) >= 90u);
}

BOOST_AUTO_TEST_CASE(client_server_multiple_clients_in_rounds) {
  World world;
  LoopServer server(Loopback(world.network, server_a), server_config(server_a, 32));
  world.add_server(server);
  for (int round = 0; round < 3; ++round) {
    const std::size_t count = round == 1 ? 32 : 8;
    std::vector<std::unique_ptr<LoopClient>> clients;
    World local;  // clients updated by this round's world, sharing the clock through steps
    for (std::size_t i = 0; i < count; ++i) {
      clients.push_back(std::make_unique<LoopClient>(Loopback(world.network, addr(("10.0.2." + std::to_string(i + 1) + ":5000").c_str()))));
      BOOST_REQUIRE(!clients.back()->connect(make_token(1000 * round + i, {server_a}, world.clock.unix_now()), world.clock.now()));
    }
    auto all_connected = [&] {
      for (auto& c : clients) c->update(world.clock.now());
      for (auto& c : clients)
        if (!c->connected()) return false;
      return server.num_connected_clients() == count;
    };
    BOOST_REQUIRE(world.run_until(all_connected));
    for (auto& c : clients) {
      const auto index = server.find_client(c->transport().local_address());
      BOOST_REQUIRE(index.has_value());
      BOOST_TEST(*index == c->client_index());
      BOOST_TEST(c->send(payload_of(10, 1)) == std::error_code{});
    }
    for (auto& c : clients) c->disconnect();
    BOOST_REQUIRE(world.run_until([&] { return server.num_connected_clients() == 0; }, 2s));
  }
}

BOOST_AUTO_TEST_CASE(client_server_multiple_servers_first_two_dead) {
  World world;
  LoopServer server(Loopback(world.network, server_c), server_config(server_c));
  LoopClient client(Loopback(world.network, addr("10.0.1.1:50000")));
  world.add_server(server);
  world.add_client(client);
  BOOST_REQUIRE(!client.connect(make_token(1, {server_a, server_b, server_c}, world.clock.unix_now(), 30, 1), world.clock.now()));
  BOOST_REQUIRE(world.run_until([&] { return client.connected(); }, 10s));
  BOOST_TEST(client.server_index() == 2u);
  BOOST_TEST((client.server_address() == server_c));
  BOOST_TEST(exchange(world, server, 0, client, 7));
}

BOOST_AUTO_TEST_CASE(client_error_connect_token_expired) {
  World world;
  LoopClient client(Loopback(world.network, addr("10.0.1.1:50000")));
  world.add_client(client);
  BOOST_REQUIRE(!client.connect(make_token(1, {server_a}, world.clock.unix_now(), 0), world.clock.now()));
  world.step();
  BOOST_TEST((client.state() == nc::ClientState::connect_token_expired));
  const auto events = client_events(client);
  BOOST_REQUIRE(!events.empty());
  BOOST_TEST((events.back().type == nc::ClientEventType::connect_failed));
  BOOST_TEST((events.back().reason == nc::DisconnectReason::connect_token_expired));
}

BOOST_AUTO_TEST_CASE(client_error_token_budget_spans_every_server) {
  // 3 dead servers, 2 s timeout each, but a 5 s token: the third server's timeout would come at
  // about 6 s, so expiry, not a timeout, ends the attempt.
  World world;
  LoopClient client(Loopback(world.network, addr("10.0.1.1:50000")));
  world.add_client(client);
  BOOST_REQUIRE(!client.connect(make_token(1, {server_a, server_b, server_c}, world.clock.unix_now(), 5, 2), world.clock.now()));
  world.run_until([&] { return client.state() < nc::ClientState::disconnected; });
  BOOST_TEST((client.state() == nc::ClientState::connect_token_expired));
  BOOST_TEST(client.server_index() == 2u);  // it did move on, and the budget was not reset
}

BOOST_AUTO_TEST_CASE(client_error_invalid_connect_token) {
  World world;
  LoopClient client(Loopback(world.network, addr("10.0.1.1:50000")));
  auto token = make_token(1, {server_a}, world.clock.unix_now());
  token[3] = std::byte{'X'};  // version info no longer "NETCODE 1.02"
  BOOST_TEST((client.connect(token, world.clock.now()) == courier::Error::invalid_connect_token));
  BOOST_TEST((client.state() == nc::ClientState::invalid_connect_token));
  BOOST_TEST((client.connect(std::span(token).first(100), world.clock.now()) == courier::Error::invalid_connect_token));
}

BOOST_AUTO_TEST_CASE(client_error_connection_timed_out) {
  World world;
  auto server = std::make_unique<LoopServer>(Loopback(world.network, server_a), server_config(server_a));
  LoopClient client(Loopback(world.network, addr("10.0.1.1:50000")));
  world.add_client(client);
  BOOST_REQUIRE(!client.connect(make_token(1, {server_a}, world.clock.unix_now(), 30, 2), world.clock.now()));
  BOOST_REQUIRE(world.run_until([&] { server->update(world.clock); return client.connected(); }));
  world.step(100ms, 25);  // the server stops answering: 2.5 s > 2 s timeout
  BOOST_TEST((client.state() == nc::ClientState::connection_timed_out));
  const auto events = client_events(client);
  BOOST_TEST((events.back().type == nc::ClientEventType::disconnected));
  BOOST_TEST((events.back().reason == nc::DisconnectReason::timed_out));
}

BOOST_AUTO_TEST_CASE(client_error_connection_response_timed_out) {
  World world;
  LoopServer server(Loopback(world.network, server_a), server_config(server_a));
  LoopClient client(Loopback(world.network, addr("10.0.1.1:50000")));
  world.add_client(client);
  BOOST_REQUIRE(!client.connect(make_token(1, {server_a}, world.clock.unix_now(), 30, 1), world.clock.now()));
  // The server answers the request, then goes silent before the response arrives.
  BOOST_REQUIRE(world.run_until([&] {
    if (client.state() == nc::ClientState::sending_connection_request) server.update(world.clock);
    return client.state() == nc::ClientState::sending_connection_response;
  }));
  world.step(100ms, 20);
  BOOST_TEST((client.state() == nc::ClientState::connection_response_timed_out));
}

BOOST_AUTO_TEST_CASE(client_error_connection_request_timed_out) {
  World world;
  LoopClient client(Loopback(world.network, addr("10.0.1.1:50000")));
  world.add_client(client);
  BOOST_REQUIRE(!client.connect(make_token(1, {server_a}, world.clock.unix_now(), 30, 1), world.clock.now()));
  world.step(10ms, 200);
  BOOST_TEST((client.state() == nc::ClientState::connection_request_timed_out));
  BOOST_TEST(client.stats().sent_of(nc::PacketType::connection_request) >= 9u);  // 10 Hz for 1 s
}

BOOST_AUTO_TEST_CASE(client_error_connection_denied_when_the_server_is_full) {
  World world;
  LoopServer server(Loopback(world.network, server_a), server_config(server_a, 1));
  LoopClient first(Loopback(world.network, addr("10.0.1.1:50000")));
  LoopClient second(Loopback(world.network, addr("10.0.1.2:50000")));
  world.add_server(server);
  world.add_client(first);
  world.add_client(second);
  BOOST_REQUIRE(!first.connect(make_token(1, {server_a}, world.clock.unix_now()), world.clock.now()));
  BOOST_REQUIRE(world.run_until([&] { return first.connected(); }));
  BOOST_REQUIRE(!second.connect(make_token(2, {server_a}, world.clock.unix_now()), world.clock.now()));
  BOOST_REQUIRE(world.run_until([&] { return second.state() < nc::ClientState::disconnected; }));
  BOOST_TEST((second.state() == nc::ClientState::connection_denied));
  BOOST_TEST(server.stats().sent_of(nc::PacketType::connection_denied) >= 1u);
  BOOST_TEST(server.stats().drops[DropReason::server_full] >= 1u);
  BOOST_TEST(first.connected());
}

BOOST_FIXTURE_TEST_CASE(client_side_disconnect, Setup) {
  BOOST_REQUIRE(!client.connect(token(), clock.now()));
  BOOST_REQUIRE(run_until([&] { return client.connected(); }));
  while (server.poll_event()) {}
  client.disconnect();
  BOOST_TEST((client.state() == nc::ClientState::disconnected));
  BOOST_TEST(client.stats().sent_of(nc::PacketType::disconnect) == 10u);
  step();
  BOOST_TEST(server.num_connected_clients() == 0u);
  const auto e = server.poll_event();
  BOOST_REQUIRE(e.has_value());
  BOOST_TEST((e->type == nc::ServerEventType::client_disconnected));
  BOOST_TEST((e->reason == nc::DisconnectReason::disconnected_by_peer));
}

BOOST_FIXTURE_TEST_CASE(server_side_disconnect, Setup) {
  BOOST_REQUIRE(!client.connect(token(), clock.now()));
  BOOST_REQUIRE(run_until([&] { return client.connected(); }));
  client_events(client);
  server.disconnect(0);
  BOOST_TEST(server.num_connected_clients() == 0u);
  BOOST_TEST(server.stats().sent_of(nc::PacketType::disconnect) == 10u);
  step();
  BOOST_TEST((client.state() == nc::ClientState::disconnected));
  const auto events = client_events(client);
  BOOST_REQUIRE(events.size() == 1u);
  BOOST_TEST((events[0].reason == nc::DisconnectReason::disconnected_by_peer));
}

BOOST_FIXTURE_TEST_CASE(client_reconnect_with_a_fresh_token, Setup) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    BOOST_REQUIRE(!client.connect(token(), clock.now()));
    BOOST_REQUIRE(run_until([&] { return client.connected(); }));
    BOOST_TEST(exchange(*this, server, client.client_index(), client, static_cast<std::uint8_t>(attempt)));
    client.disconnect();
    BOOST_REQUIRE(run_until([&] { return server.num_connected_clients() == 0; }));
  }
}

BOOST_AUTO_TEST_CASE(disable_timeout_keeps_a_silent_client) {
  World world;
  LoopServer server(Loopback(world.network, server_a), server_config(server_a));
  LoopClient client(Loopback(world.network, addr("10.0.1.1:50000")));
  world.add_server(server);
  BOOST_REQUIRE(!client.connect(make_token(1, {server_a}, world.clock.unix_now(), 30, -1), world.clock.now()));
  BOOST_REQUIRE(world.run_until([&] { client.update(world.clock.now()); return client.connected(); }));
  world.step(1s, 60);  // a minute without a single client update
  BOOST_TEST(server.num_connected_clients() == 1u);
  client.update(world.clock.now());
  BOOST_TEST(client.connected());
  world.add_client(client);
  BOOST_TEST(exchange(world, server, 0, client, 4));
}

BOOST_AUTO_TEST_SUITE_END()
