// Replays the reference's recorded client/server session (vectors/handshake_transcript.json)
// through courier's Client and Server and compares every datagram byte for byte.

#include <courier/netcode/netcode_client.hpp>
#include <courier/netcode/netcode_server.hpp>

#include <boost/test/unit_test.hpp>

#include "netcode/harness.hpp"
#include "netcode/vectors.hpp"

namespace nc = courier::netcode;
using namespace courier::test;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(handshake_transcript_test)

BOOST_AUTO_TEST_CASE(courier_reproduces_the_reference_transcript_byte_for_byte) {
  const auto file = load_vectors("handshake_transcript.json");
  const auto setup = file.get_child("setup");
  const auto server_address = addr(setup.get<std::string>("server_address").c_str());
  const auto client_address = addr(setup.get<std::string>("client_address").c_str());
  const auto unix_time = u64_at(setup, "unix_time");
  std::string token_hex;
  for (const auto& v : items(load_vectors("connect_token_public.json"), "vectors"))
    if (v.get<std::string>("name") == "ipv4_and_ipv6") token_hex = v.get<std::string>("token");
  const auto token = hex(token_hex);

  std::vector<WireRecord> wire;
  courier::LoopbackNetwork network;
  auto config = server_config(server_address, setup.get<std::size_t>("max_clients"));
  config.randomize_global_sequence = false;  // the reference seeds exactly 1<<63
  config.private_key = key_at(setup, "server_private_key");
  nc::NetcodeServer<Recorded<courier::Loopback>, FixedRandomNetcode102> server(
      Recorded<courier::Loopback>(courier::Loopback(network, server_address), &wire), config);
  nc::NetcodeClient<Recorded<courier::Loopback>> client(
      Recorded<courier::Loopback>(courier::Loopback(network, client_address), &wire));

  const auto ticks = items(file, "ticks");
  BOOST_REQUIRE(ticks.size() == 7u);
  for (std::size_t k = 0; k < ticks.size(); ++k) {
    const courier::TimePoint t{courier::Duration(static_cast<std::int64_t>(k) * 125'000'000)};
    if (k == 0) BOOST_REQUIRE(!client.connect(token, t));
    if (k == 6) {
      client.disconnect();
    } else {
      client.update(t);
      if (client.connected()) {
        std::array<std::byte, 8> p{};
        for (std::size_t i = 0; i < p.size(); ++i) p[i] = static_cast<std::byte>(0x10 * k + i);
        BOOST_REQUIRE(!client.send(p));
      }
    }
    BOOST_TEST(static_cast<int>(client.state()) == ticks[k].get<int>("client_state_after_client_step"), "tick " << k);
    server.update(t, unix_time);
    if (server.client_connected(0)) {
      std::array<std::byte, 8> p{};
      for (std::size_t i = 0; i < p.size(); ++i) p[i] = static_cast<std::byte>(0x80 + 0x10 * k + i);
      BOOST_REQUIRE(!server.send(0, p));
    }
    BOOST_TEST(server.num_connected_clients() == ticks[k].get<std::size_t>("server_num_connected_clients_after"), "tick " << k);
  }

  const auto expected = items(file, "datagrams");
  BOOST_TEST(wire.size() == expected.size());
  for (std::size_t i = 0; i < std::min(wire.size(), expected.size()); ++i) {
    BOOST_TEST_CONTEXT("datagram " << i << " (" << expected[i].get<std::string>("packet_type_name") << ")") {
      const bool from_client = expected[i].get<std::string>("from") == "client";
      BOOST_TEST((wire[i].from == (from_client ? client_address : server_address)));
      BOOST_TEST(wire[i].bytes == hex_at(expected[i], "wire"));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
