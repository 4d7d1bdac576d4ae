// Client and server over real UDP sockets on 127.0.0.1 and [::1] (reference tests
// test_client_server_ipv4_socket_connect / ipv6 / dual-stack). Timing logic still runs on a
// ManualClock; the short sleeps only let the kernel deliver.

#include <courier/netcode/netcode_client.hpp>
#include <courier/netcode/netcode_server.hpp>
#include <courier/transport/udp.hpp>

#include <boost/test/unit_test.hpp>

#include <thread>

#include "netcode/harness.hpp"

namespace nc = courier::netcode;
using namespace courier::test;
using namespace std::chrono_literals;
using courier::Udp;

namespace {

std::optional<Udp> open_udp(const char* text) {
  std::error_code ec;
  auto udp = Udp::open(addr(text), ec);
  if (ec) BOOST_TEST_MESSAGE("cannot open " << text << ": " << ec.message());
  return udp;
}

/// Connects a client to a server bound at `server_bind`, exchanges payloads, disconnects.
void connect_over_udp(const char* server_bind, const char* client_bind, const char* dial_host) {
  auto server_socket = open_udp(server_bind);
  auto client_socket = open_udp(client_bind);
  if (!server_socket || !client_socket) {
    BOOST_WARN_MESSAGE(false, "UDP unavailable here; skipped");
    return;
  }
  auto public_address = addr(dial_host);
  public_address.set_port(server_socket->local_address().port());
  courier::ManualClock clock;
  nc::NetcodeServer<Udp> server(std::move(*server_socket), server_config(public_address));
  nc::NetcodeClient<Udp> client(std::move(*client_socket));
  BOOST_REQUIRE(!client.connect(make_token(1, {public_address}, clock.unix_now()), clock.now()));
  const std::array<std::byte, 5> ping = {std::byte{1}, std::byte{2}, std::byte{3}, std::byte{4}, std::byte{5}};
  int server_got = 0, client_got = 0;
  for (int i = 0; i < 3000 && (server_got < 10 || client_got < 10); ++i) {
    clock.advance(10ms);
    client.update(clock.now());
    server.update(clock);
    if (client.connected() && server.client_connected(0)) {
      (void)client.send(ping);
      (void)server.send(0, ping);
    }
    while (auto p = server.receive()) server_got += p->bytes.size() == ping.size() ? 1 : 0;
    while (auto p = client.receive()) client_got += p->bytes.size() == ping.size() ? 1 : 0;
    std::this_thread::sleep_for(200us);
  }
  BOOST_TEST(client.connected());
  BOOST_TEST(server_got >= 10);
  BOOST_TEST(client_got >= 10);
  client.disconnect();
  for (int i = 0; i < 1000 && server.num_connected_clients() != 0; ++i) {
    clock.advance(10ms);
    server.update(clock);
    std::this_thread::sleep_for(200us);
  }
  BOOST_TEST(server.num_connected_clients() == 0u);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(udp_connect_test)

BOOST_AUTO_TEST_CASE(client_server_ipv4_socket_connect) { connect_over_udp("127.0.0.1:0", "127.0.0.1:0", "127.0.0.1"); }

BOOST_AUTO_TEST_CASE(client_server_ipv6_socket_connect) { connect_over_udp("[::1]:0", "[::1]:0", "::1"); }

BOOST_AUTO_TEST_CASE(client_server_dual_stack_server_ipv4_client) {
  // A server bound to [::] (dual stack) answers an IPv4 client; tokens name 127.0.0.1.
  connect_over_udp("[::]:0", "127.0.0.1:0", "127.0.0.1");
}

BOOST_AUTO_TEST_SUITE_END()
