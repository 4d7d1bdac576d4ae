// 1 000 typed clients on one Server<Game> in one process: Simulated<Loopback>, a ManualClock and
// the real Netcode102 crypto (connect tokens, challenge tokens, every packet sealed and opened).
// Every client connects with its own client id and connect message, sends reliable messages on
// both reliable channels and two requests; the server echoes each chat and answers each request;
// every client receives every reply; clients() lists the 1 000 with their stats; then everyone
// leaves and the server reports 1 000 Disconnected.
//
// Wall time is reported per phase in the test log (--log_level=message), never asserted.

#include "game_pack.hpp"
#include "harness.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace courier;
using namespace courier::test;
using namespace std::chrono_literals;

constexpr std::size_t client_count = 1000;
constexpr std::size_t chats_per_client = 3;
constexpr std::size_t notes_per_client = 2;
constexpr std::uint64_t first_client_id = 100'000;
/// The server is updated after every `server_batch` client updates within a tick (a server
/// ticking faster than its clients), so its loopback inbox never holds more than about this
/// many clients' datagrams: the inbox is sized for that, not for 1 000 clients at once.
constexpr std::size_t server_batch = 100;
constexpr std::size_t inbox_capacity = 512;
/// Each direction of each link: 10 ms one way. Simulated's default delay queue (4 096
/// datagrams of 1.5 KB, 6 MiB per endpoint) is sized down to what this traffic can hold.
SimulatedConfig link(std::size_t queue) {
  SimulatedConfig c;
  c.latency = std::chrono::milliseconds(10);
  c.queue_capacity = queue;
  return c;
}

std::string name_of(std::size_t i) { return "p" + std::to_string(i); }
std::string chat_of(std::size_t i, std::size_t k) { return "c" + std::to_string(i) + "-" + std::to_string(k); }
std::string echo_of(const std::string& text) { return "echo " + text; }

/// What one client sent and received.
struct Expect {
  std::vector<Signal> sends;
  RequestSignal save;
  RequestSignal login;
  std::vector<std::string> echoes;
  std::size_t connected = 0;
  std::size_t saved = 0;
  std::size_t welcomed = 0;
  std::size_t unexpected = 0;  // events a healthy run never produces
};

/// The world of this test: one server of 1 000 slots, 1 000 clients, one manual clock.
struct Crowd {
  using Sim = Simulated<Loopback>;

  LoopbackNetwork network{inbox_capacity};
  ManualClock clock;
  Address server_address = typed_addr("10.0.0.1:40000");
  std::unique_ptr<Server<Game>> server;
  std::vector<std::unique_ptr<Client<Game>>> clients;
  std::vector<Address> addresses;
  std::vector<Expect> expect;
  std::uint64_t seed = 1;

  Crowd() {
    ServerConfig config;
    config.netcode.max_clients = client_count;
    config.netcode.private_key = typed_test_key();
    config.netcode.public_address = server_address;
    server = std::make_unique<Server<Game>>(Sim(Loopback(network, server_address), link(16384), seed++), config);
    clients.reserve(client_count);
    for (std::size_t i = 0; i < client_count; ++i) {
      const Address a = typed_addr("10.1." + std::to_string(i / 250) + "." + std::to_string(1 + i % 250) + ":50000");
      addresses.push_back(a);
      clients.push_back(std::make_unique<Client<Game>>(Sim(Loopback(network, a), link(64), seed++)));
    }
    expect.resize(client_count);
  }

  /// Where things stand, for a failure message.
  std::string summary() const {
    std::map<int, std::size_t> states;
    std::array<std::uint64_t, drop_reason_count> client_drops{};
    std::uint64_t sim_drops = 0;
    for (const auto& c : clients) {
      ++states[static_cast<int>(c->state())];
      const netcode::NetcodeClientStats n = c->stats().netcode;
      for (std::size_t r = 0; r < drop_reason_count; ++r) client_drops[r] += n.drops[static_cast<DropReason>(r)];
      sim_drops += c->transport().stats().dropped_queue_full;
    }
    std::ostringstream out;
    out << "client states:";
    for (const auto& [state, n] : states) out << " " << state << "=" << n;
    out << "; server connected " << server->num_connected() << ", accepted "
        << server->stats().netcode.connections_accepted << "; server drops:";
    const netcode::NetcodeServerStats ns = server->stats().netcode;
    for (std::size_t r = 0; r < drop_reason_count; ++r)
      if (ns.drops[static_cast<DropReason>(r)] != 0)
        out << " " << describe(static_cast<DropReason>(r)) << "=" << ns.drops[static_cast<DropReason>(r)];
    out << "; client drops:";
    for (std::size_t r = 0; r < drop_reason_count; ++r)
      if (client_drops[r] != 0) out << " " << describe(static_cast<DropReason>(r)) << "=" << client_drops[r];
    out << "; loopback inbox_full " << network.stats().inbox_full << ", unreachable " << network.stats().unreachable
        << "; simulated queue drops: server " << server->transport().stats().dropped_queue_full << ", clients "
        << sim_drops;
    return out.str();
  }

  /// One 10 ms tick: the clients in batches, the server after each batch.
  void tick() {
    clock.advance(10ms);
    for (std::size_t i = 0; i < clients.size(); ++i) {
      clients[i]->update(clock);
      if ((i + 1) % server_batch == 0 || i + 1 == clients.size()) server->update(clock);
    }
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(scale_test)

BOOST_AUTO_TEST_CASE(a_thousand_clients_connect_talk_request_and_leave) {
  using Wall = std::chrono::steady_clock;
  const auto ms_since = [](Wall::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Wall::now() - t).count();
  };
  const auto t_start = Wall::now();
  Crowd w;
  BOOST_TEST_MESSAGE("scale: setup " << ms_since(t_start) << " ms");

  // Server side bookkeeping, filled from its events.
  std::map<std::uint64_t, ClientHandle> handle_of_id;
  std::map<std::uint32_t, std::uint64_t> id_of_slot;
  std::map<std::uint64_t, std::vector<std::string>> chats_of_id;
  std::map<std::uint64_t, std::set<std::uint32_t>> notes_of_id;
  std::size_t saves = 0, logins = 0, server_unexpected = 0;
  std::vector<std::uint64_t> disconnected_ids;
  std::size_t disconnected_with_other_reason = 0;

  const auto id_of = [&](ClientHandle h) -> std::uint64_t {
    const auto it = id_of_slot.find(h.slot);
    return it == id_of_slot.end() || handle_of_id[it->second] != h ? 0 : it->second;
  };

  const auto serve = [&] {
    while (auto e = w.server->poll_event()) {
      std::visit(overloaded{
          [&](server_event::Connected<Login>& c) {
            if (c.client_id < first_client_id || c.client_id >= first_client_id + client_count ||
                handle_of_id.contains(c.client_id) || c.local ||
                std::string(c.message.name.view()) != name_of(c.client_id - first_client_id) ||
                !(c.address == w.addresses[c.client_id - first_client_id])) {
              ++server_unexpected;
              return;
            }
            handle_of_id[c.client_id] = c.client;
            id_of_slot[c.client.slot] = c.client_id;
          },
          [&](server_event::Message<Chat>& m) {
            const std::uint64_t id = id_of(m.client);
            if (id == 0) return void(++server_unexpected);
            const std::string text(m.message.text.view());
            chats_of_id[id].push_back(text);
            if (!w.server->send(m.client, Chat{std::string_view(echo_of(text))})) ++server_unexpected;
          },
          [&](server_event::Message<Note>& m) {
            const std::uint64_t id = id_of(m.client);
            if (id == 0) return void(++server_unexpected);
            notes_of_id[id].insert(m.message.n);
          },
          [&](server_event::Request<Game, Save>& r) {
            const std::uint64_t id = id_of(r.client);
            ++saves;
            const bool ok = id != 0 && r.request.slot == id - first_client_id;
            if (!w.server->respond(std::move(r.token), Saved{ok})) ++server_unexpected;
          },
          [&](server_event::Request<Game, Login>& r) {
            const std::uint64_t id = id_of(r.client);
            ++logins;
            if (!w.server->respond(std::move(r.token), Welcome{static_cast<std::uint32_t>(id)})) ++server_unexpected;
          },
          [&](server_event::Disconnected& d) {
            disconnected_ids.push_back(d.client_id);
            if (d.reason != Error::closed_by_peer) ++disconnected_with_other_reason;
          },
          [&](auto&) { ++server_unexpected; }},
          *e);
    }
  };

  const auto listen = [&] {
    for (std::size_t i = 0; i < client_count; ++i) {
      Expect& x = w.expect[i];
      while (auto e = w.clients[i]->poll_event()) {
        std::visit(overloaded{
            [&](client_event::Connected&) { ++x.connected; },
            [&](client_event::Message<Chat>& m) { x.echoes.emplace_back(m.message.text.view()); },
            [&](client_event::Response<Saved>& r) {
              if (r.id == x.save.id && r.response.ok) ++x.saved;
              else ++x.unexpected;
            },
            [&](client_event::Response<Welcome>& r) {
              if (r.id == x.login.id && r.response.player == static_cast<std::uint32_t>(first_client_id + i)) ++x.welcomed;
              else ++x.unexpected;
            },
            [&](auto&) { ++x.unexpected; }},
            *e);
      }
    }
  };

  const auto run_until = [&](const auto& done, Duration limit) {
    const TimePoint end = w.clock.now() + limit;
    while (w.clock.now() < end) {
      serve();
      listen();
      if (done()) return true;
      w.tick();
    }
    serve();
    listen();
    return done();
  };

  // ---- connect: every client at once, each with its own id and connect message -------------
  auto t_phase = Wall::now();
  for (std::size_t i = 0; i < client_count; ++i) {
    const Token token = typed_token(Game::protocol_id, first_client_id + i, w.server_address, w.clock.unix_now());
    BOOST_REQUIRE(!w.clients[i]->connect(token, Login{std::string_view(name_of(i))}));
  }
  const bool all_connected = run_until(
      [&] {
        for (const auto& c : w.clients)
          if (!c->connected()) return false;
        return handle_of_id.size() == client_count;
      },
      10s);
  BOOST_REQUIRE_MESSAGE(all_connected, w.summary());
  BOOST_TEST_MESSAGE("scale: connect " << ms_since(t_phase) << " ms wall, "
                                       << std::chrono::duration_cast<std::chrono::milliseconds>(w.clock.now().time_since_epoch()).count()
                                       << " ms simulated");
  BOOST_TEST(w.server->num_connected() == client_count);
  BOOST_TEST(w.server->stats().connected == client_count);
  BOOST_TEST(w.server->stats().netcode.connections_accepted == client_count);
  BOOST_TEST(server_unexpected == 0u);
  std::set<std::uint32_t> slots;
  for (const auto& [id, h] : handle_of_id) {
    slots.insert(h.slot);
    BOOST_TEST(h.valid());
    BOOST_TEST(w.server->connected(h));
  }
  BOOST_TEST(slots.size() == client_count);
  for (std::size_t i = 0; i < client_count; ++i) {
    BOOST_TEST(w.expect[i].connected == 1u, "client " << i);
    BOOST_TEST(w.clients[i]->slot() == handle_of_id[first_client_id + i].slot, "client " << i);
  }

  // ---- messages and requests from everyone ------------------------------------------------
  t_phase = Wall::now();
  for (std::size_t i = 0; i < client_count; ++i) {
    Client<Game>& c = *w.clients[i];
    Expect& x = w.expect[i];
    for (std::size_t k = 0; k < chats_per_client; ++k) x.sends.push_back(c.send(Chat{std::string_view(chat_of(i, k))}));
    for (std::size_t k = 0; k < notes_per_client; ++k)
      x.sends.push_back(c.send(Note{static_cast<std::uint32_t>(i * 10 + k)}));
    x.save = c.request(Save{static_cast<std::uint32_t>(i)});
    x.login = c.request(Login{std::string_view(name_of(i))});
    for (const Signal& s : x.sends) BOOST_TEST(static_cast<bool>(s), "client " << i << ": " << s.error.message());
    BOOST_TEST(static_cast<bool>(x.save));
    BOOST_TEST(static_cast<bool>(x.login));
    BOOST_TEST(c.status(x.save) == RequestStatus::sending);
  }
  const bool all_answered = run_until(
      [&] {
        for (std::size_t i = 0; i < client_count; ++i) {
          const Expect& x = w.expect[i];
          if (x.echoes.size() < chats_per_client || x.saved + x.welcomed < 2) return false;
        }
        return true;
      },
      10s);
  BOOST_REQUIRE_MESSAGE(all_answered, w.summary());
  // Let the last acks travel so every send reads Acked.
  run_until(
      [&] {
        for (std::size_t i = 0; i < client_count; ++i)
          for (const Signal& s : w.expect[i].sends)
            if (w.clients[i]->status(s).state != DeliveryState::acked) return false;
        return true;
      },
      2s);
  BOOST_TEST_MESSAGE("scale: messages and requests " << ms_since(t_phase) << " ms wall");

  BOOST_TEST(saves == client_count);
  BOOST_TEST(logins == client_count);
  BOOST_TEST(server_unexpected == 0u);
  for (std::size_t i = 0; i < client_count; ++i) {
    const Expect& x = w.expect[i];
    const Client<Game>& c = *w.clients[i];
    const std::uint64_t id = first_client_id + i;
    std::vector<std::string> sent, echoed;
    for (std::size_t k = 0; k < chats_per_client; ++k) {
      sent.push_back(chat_of(i, k));
      echoed.push_back(echo_of(chat_of(i, k)));
    }
    BOOST_TEST(chats_of_id[id] == sent, "client " << i << ": chats arrive once, in order");
    BOOST_TEST(x.echoes == echoed, "client " << i << ": every echo, once, in order");
    BOOST_TEST(notes_of_id[id].size() == notes_per_client, "client " << i);
    BOOST_TEST(x.saved == 1u, "client " << i);
    BOOST_TEST(x.welcomed == 1u, "client " << i);
    BOOST_TEST(x.unexpected == 0u, "client " << i);
    BOOST_TEST(c.status(x.save) == RequestStatus::responded, "client " << i);
    BOOST_TEST(c.status(x.login) == RequestStatus::responded, "client " << i);
    for (const Signal& s : x.sends) BOOST_TEST((c.status(s).state == DeliveryState::acked), "client " << i);
    const ClientStats st = c.stats();
    BOOST_TEST(st.typed.protocol_violations == 0u);
    BOOST_TEST(st.typed.undecodable_messages == 0u);
    BOOST_TEST(st.typed.late_answers == 0u);
    BOOST_TEST(st.connection.protocol_violations == 0u);
    BOOST_TEST(st.connection.endpoint.packets_lost == 0u);
  }

  // ---- the server's view: clients() -------------------------------------------------------
  std::size_t listed = 0;
  std::set<std::uint64_t> listed_ids;
  std::set<std::uint32_t> listed_slots;
  for (const ClientInfo& info : w.server->clients()) {
    ++listed;
    listed_ids.insert(info.client_id);
    listed_slots.insert(info.handle.slot);
    const auto it = handle_of_id.find(info.client_id);
    BOOST_REQUIRE(it != handle_of_id.end());
    BOOST_TEST((info.handle == it->second));
    BOOST_TEST(!info.local);
    BOOST_TEST((info.address == w.addresses[info.client_id - first_client_id]));
    const ConnectionStats& s = info.stats;
    // Received: the hello, the chats, the notes and the two requests at least.
    BOOST_TEST(s.messages_received >= 1 + chats_per_client + notes_per_client + 2, "client id " << info.client_id);
    // Sent: the hello, a reconnect token, the echoes and the two responses at least.
    BOOST_TEST(s.messages_sent >= 2 + chats_per_client + 2, "client id " << info.client_id);
    BOOST_TEST(s.messages_refused == 0u);
    BOOST_TEST(s.protocol_violations == 0u);
    BOOST_TEST(s.endpoint.packets_sent > 0u);
    BOOST_TEST(s.endpoint.packets_received > 0u);
    BOOST_TEST(s.endpoint.packets_acked > 0u);
    BOOST_TEST(s.endpoint.packets_lost == 0u);
    BOOST_TEST(s.endpoint.packet_loss == 0.0);
    // 10 ms each way on 10 ms ticks: a round trip is measured at 20 ms or a little more.
    BOOST_TEST((s.endpoint.min_rtt >= 10ms), "client id " << info.client_id);
    BOOST_TEST((s.endpoint.rtt >= 10ms && s.endpoint.rtt < 500ms), "client id " << info.client_id);
    BOOST_TEST((s.endpoint.min_rtt <= s.endpoint.rtt + 1ms));
  }
  BOOST_TEST(listed == client_count);
  BOOST_TEST(listed_ids.size() == client_count);
  BOOST_TEST(listed_slots.size() == client_count);
  const ServerStats ss = w.server->stats();
  BOOST_TEST(ss.connected == client_count);
  BOOST_TEST(ss.typed.protocol_violations == 0u);
  BOOST_TEST(ss.typed.undecodable_messages == 0u);
  BOOST_TEST(ss.typed.pack_mismatches == 0u);
  BOOST_TEST(ss.netcode.events_lost == 0u);
  BOOST_TEST(w.network.stats().inbox_full == 0u);
  BOOST_TEST(w.network.stats().unreachable == 0u);
  BOOST_TEST(ss.netcode.drops.total() == 0u, w.summary());
  std::uint64_t client_netcode_drops = 0;
  for (const auto& c : w.clients) client_netcode_drops += c->stats().netcode.drops.total();
  BOOST_TEST(client_netcode_drops == 0u, w.summary());

  // ---- everyone leaves ---------------------------------------------------------------------
  t_phase = Wall::now();
  // Each leaving client sends netcode's 10 redundant disconnect packets at once, so the
  // departures are spread over ticks (25 a tick) as a real crowd's are: 1 000 clients leaving
  // within the same 10 ms would be a burst of 10 000 datagrams, more than the server's inbox
  // (or a real socket buffer) holds, and the clients whose packets were all dropped would be
  // found by the timeout instead.
  for (std::size_t i = 0; i < client_count; ++i) {
    w.clients[i]->disconnect();
    BOOST_TEST(!w.clients[i]->connected());
    if ((i + 1) % 25 == 0) {
      serve();
      listen();
      w.tick();
    }
  }
  const bool all_gone = run_until([&] { return disconnected_ids.size() >= client_count; }, 5s);
  BOOST_TEST_MESSAGE("scale: disconnect " << ms_since(t_phase) << " ms wall");
  BOOST_REQUIRE_MESSAGE(all_gone, w.summary());
  BOOST_TEST(disconnected_ids.size() == client_count);
  BOOST_TEST(std::set<std::uint64_t>(disconnected_ids.begin(), disconnected_ids.end()).size() == client_count);
  BOOST_TEST(disconnected_with_other_reason == 0u);
  BOOST_TEST(server_unexpected == 0u);
  BOOST_TEST(w.server->num_connected() == 0u);
  BOOST_TEST(w.server->stats().connected == 0u);
  std::size_t left = 0;
  for ([[maybe_unused]] const ClientInfo& info : w.server->clients()) ++left;
  BOOST_TEST(left == 0u);
  for (std::size_t i = 0; i < client_count; ++i) BOOST_TEST(w.expect[i].unexpected == 0u, "client " << i);
  BOOST_TEST(w.network.stats().inbox_full == 0u);
  BOOST_TEST_MESSAGE("scale: total " << ms_since(t_start) << " ms wall");
}

BOOST_AUTO_TEST_SUITE_END()
