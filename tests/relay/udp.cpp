// The relay over real UDP sockets on 127.0.0.1 with a steady clock: two clients find each
// other by virtual address and exchange data both ways through the server. Wall-clock
// deadlines are generous; nothing asserts on timing.

#include "../typed/harness.hpp"
#include "relay_pack.hpp"

#include <courier/core/steady_clock.hpp>
#include <courier/transport/udp.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

namespace {

using namespace courier;
using namespace courier::test;
using namespace std::chrono_literals;

using UdpRelay = WithTransport<RelayGame, Udp>;

}  // namespace

BOOST_AUTO_TEST_SUITE(udp_test)

BOOST_AUTO_TEST_CASE(two_clients_talk_through_the_server) {
  SteadyClock clock;
  Udp server_socket(typed_addr("127.0.0.1:0"));
  ServerConfig config;
  config.netcode.max_clients = 4;
  config.netcode.private_key = typed_test_key();
  config.netcode.public_address = server_socket.local_address();
  Server<UdpRelay> server(std::move(server_socket), config);
  const Address server_address = server.bind_address();

  Client<UdpRelay> a(Udp(typed_addr("127.0.0.1:0")));
  Client<UdpRelay> b(Udp(typed_addr("127.0.0.1:0")));
  BOOST_REQUIRE(!a.connect(typed_token(UdpRelay::protocol_id, 1, server_address, clock.unix_now()), Login{"a"}));
  BOOST_REQUIRE(!b.connect(typed_token(UdpRelay::protocol_id, 2, server_address, clock.unix_now()), Login{"b"}));

  std::vector<Client<UdpRelay>::Event> ea, eb;
  const auto run_until = [&](const std::function<bool()>& done) {
    const auto end = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < end) {
      a.update(clock);
      b.update(clock);
      server.update(clock);
      (void)drain(server);
      for (auto& e : drain(a)) ea.push_back(std::move(e));
      for (auto& e : drain(b)) eb.push_back(std::move(e));
      if (done()) return true;
      std::this_thread::sleep_for(1ms);
    }
    return done();
  };
  BOOST_REQUIRE(run_until([&] { return a.relay().address() && b.relay().address(); }));
  b.relay().listen(4242);
  const RelayConnect r = a.relay().connect(*b.relay().address(), 4242);
  BOOST_REQUIRE(r);
  BOOST_REQUIRE(run_until([&] { return !of_type<relay_event::ConnectionRequested>(eb).empty(); }));
  const RelaySocketId s = of_type<relay_event::ConnectionRequested>(eb)[0].socket;
  BOOST_REQUIRE(!b.relay().accept(s));
  BOOST_REQUIRE(run_until([&] { return !of_type<relay_event::Established>(ea).empty(); }));
  BOOST_REQUIRE(!a.relay_send(s, Chat{"ping over the relay"}));
  BOOST_REQUIRE(run_until([&] { return !of_type<relay_event::Data>(eb).empty(); }));
  BOOST_TEST(std::string(Client<UdpRelay>::relay_decode<Chat>(of_type<relay_event::Data>(eb)[0].bytes)->text.view()) ==
             "ping over the relay");
  BOOST_REQUIRE(!b.relay_send(s, Chat{"pong"}));
  BOOST_REQUIRE(run_until([&] { return !of_type<relay_event::Data>(ea).empty(); }));
  BOOST_REQUIRE(!a.relay().close(s));
  BOOST_REQUIRE(run_until([&] { return !of_type<relay_event::Closed>(eb).empty(); }));
  BOOST_TEST(of_type<relay_event::Closed>(eb)[0].reason == RelayCloseReason::by_peer);
}

BOOST_AUTO_TEST_SUITE_END()
