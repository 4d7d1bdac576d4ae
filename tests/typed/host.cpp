// Host-server mode: a HostClient inside the server's process takes a slot, exchanges typed
// values with no packets, and both sides see the same events as with a remote client, side
// by side with remote clients.

#include "game_pack.hpp"
#include "harness.hpp"

#include <boost/test/unit_test.hpp>

namespace {

using namespace courier;
using namespace courier::test;

}  // namespace

BOOST_AUTO_TEST_SUITE(host_test)

BOOST_AUTO_TEST_CASE(host_client_beside_remote_clients) {
  World<Game> w;
  HostClient<Game> host(*w.server, 100, Login{"host"});
  BOOST_REQUIRE(host.connected());
  auto& remote = w.add_client();
  BOOST_REQUIRE(!remote.connect(w.token(101), Login{"remote"}));
  BOOST_REQUIRE(w.run_until([&] { return remote.connected(); }));

  auto server_events = drain(*w.server);
  const auto connects = of_type<server_event::Connected<Login>>(server_events);
  BOOST_REQUIRE_EQUAL(connects.size(), 2u);
  BOOST_TEST(connects[0].local);
  BOOST_TEST(connects[0].client == host.handle());
  BOOST_TEST(std::string(connects[0].message.name.view()) == "host");
  BOOST_TEST(connects[0].address.is_none());
  BOOST_TEST(!connects[1].local);
  BOOST_TEST(of_type<client_event::Connected>(drain(host)).size() == 1u);

  // Host → server, with no packets sent for it.
  const auto sent_before = w.server->stats().netcode.payloads_sent;
  const Signal s = host.send(Chat{"from the host"});
  BOOST_TEST(host.status(s).state == DeliveryState::acked);
  server_events = drain(*w.server);
  const auto chats = of_type<server_event::Message<Chat>>(server_events);
  BOOST_REQUIRE_EQUAL(chats.size(), 1u);
  BOOST_TEST(chats[0].client == host.handle());
  BOOST_TEST(w.server->stats().netcode.payloads_sent == sent_before);

  // Broadcast reaches both kinds.
  BOOST_TEST(w.server->broadcast(Chat{"to all"}) == 2u);
  w.run_for(std::chrono::milliseconds(100));
  BOOST_TEST(of_type<client_event::Message<Chat>>(drain(host)).size() == 1u);
  BOOST_TEST(of_type<client_event::Message<Chat>>(drain(remote)).size() == 1u);

  // Requests: responded, acked, rejected by a dropped token.
  const RequestSignal login = host.request(Login{"again"});
  const RequestSignal save = host.request(Save{1});
  const RequestSignal dropped = host.request(Save{2});
  BOOST_TEST(host.status(login) == RequestStatus::waiting);
  {
    server_events = drain(*w.server);
    BOOST_REQUIRE_EQUAL(server_events.size(), 3u);
    auto& l = std::get<server_event::Request<Game, Login>>(server_events[0]);
    BOOST_TEST(static_cast<bool>(w.server->respond(std::move(l.token), Welcome{7})));
    auto& sv = std::get<server_event::Request<Game, Save>>(server_events[1]);
    (void)w.server->acknowledge(std::move(sv.token));
    server_events.clear();  // drops the third request's token unanswered
  }
  BOOST_TEST(host.status(login) == RequestStatus::responded);
  BOOST_TEST(host.status(save) == RequestStatus::acked);
  BOOST_TEST(host.status(dropped) == RequestStatus::rejected);
  const auto host_events = drain(host);
  const auto responses = of_type<client_event::Response<Welcome>>(host_events);
  BOOST_REQUIRE_EQUAL(responses.size(), 1u);
  BOOST_TEST(responses[0].id == login.id);
  BOOST_TEST(responses[0].response.player == 7u);
  BOOST_TEST(of_type<client_event::RequestEnded>(host_events).size() == 2u);

  // The range of clients lists the host as local.
  std::size_t local = 0;
  for (const ClientInfo& info : w.server->clients()) local += info.local ? 1 : 0;
  BOOST_TEST(local == 1u);
  BOOST_TEST(w.server->num_connected() == 2u);

  // The host leaves like a remote client.
  host.disconnect();
  const auto gone = of_type<server_event::Disconnected>(drain(*w.server));
  BOOST_REQUIRE_EQUAL(gone.size(), 1u);
  BOOST_TEST(gone[0].client_id == 100u);
  BOOST_TEST(!host.send(Chat{"late"}));
  BOOST_TEST(w.server->num_connected() == 1u);
}

BOOST_AUTO_TEST_CASE(host_client_takes_a_slot) {
  ServerConfig sc = World<Game>::default_server_config();
  sc.netcode.max_clients = 1;
  World<Game> w(sc);
  HostClient<Game> host(*w.server, 1, Login{"host"});
  BOOST_REQUIRE(host.connected());
  HostClient<Game> second(*w.server, 2, Login{"second"});
  BOOST_TEST(!second.connected());
  BOOST_TEST(of_type<client_event::Disconnected>(drain(second)).at(0).reason == Error::connection_denied);
  auto& remote = w.add_client();
  BOOST_REQUIRE(!remote.connect(w.token(3), Login{"r"}));
  std::vector<Client<Game>::Event> log;
  BOOST_REQUIRE(w.run_until([&] {
    for (auto& e : drain(remote)) log.push_back(std::move(e));
    return remote.state() == ClientState::disconnected;
  }));
  BOOST_TEST(of_type<client_event::Disconnected>(log).at(0).reason == Error::connection_denied);
  HostClient<Game> same_id(*w.server, 1, Login{"dup"});
  BOOST_TEST(!same_id.connected());
}

BOOST_AUTO_TEST_CASE(server_kicks_the_host_and_server_goes_first) {
  auto w = std::make_unique<World<Game>>();
  HostClient<Game> host(*w->server, 1, Login{"host"});
  const RequestSignal pending = host.request(Save{1});
  w->server->disconnect(host.handle(), CloseReason::kicked);
  const auto events = drain(host);
  BOOST_TEST(of_type<client_event::ClosedByServer>(events).at(0).reason == CloseReason::kicked);
  BOOST_TEST(host.status(pending) == RequestStatus::response_lost);
  BOOST_TEST(!host.connected());
  (void)drain(*w->server);  // drops the pending request's token: the host is gone, nothing happens

  HostClient<Game> other(*w->server, 2, Login{"other"});
  BOOST_REQUIRE(other.connected());
  w.reset();  // the server goes first
  BOOST_TEST(!other.connected());
  BOOST_TEST(of_type<client_event::Disconnected>(drain(other)).size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
