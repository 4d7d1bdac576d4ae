// Load test (soak label; CI skips it): 1 000 typed clients and one Server<Game> in one process
// over real UDP sockets on 127.0.0.1, ticking at 30 Hz for 60 s. Every tick each client sends one
// reliable-ordered Chat (numbered) and one unreliable Ping, and the server sends each client a
// reliable-unordered Note every third tick. Passes when no one disconnects and every reliable
// message arrives (chats in order); reports the server's CPU time (thread CPU clock around its
// update and event handling), the process RSS before and after the clients exist, unreliable
// delivery and the wall time of the run.
//
// COURIER_LOAD_CLIENTS and COURIER_LOAD_SECONDS override the 1 000 clients and 60 s.
// Run: ctest --test-dir build/gcc -R load/ --output-on-failure   (or COURIER_SOAK=1 scripts/test.sh)

#include "typed/game_pack.hpp"
#include "typed/harness.hpp"

#include <boost/test/unit_test.hpp>

#include <time.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <courier/core/steady_clock.hpp>
#include <courier/transport/udp.hpp>

namespace {

using namespace courier;
using namespace courier::test;
using namespace std::chrono_literals;

using UdpGame = WithTransport<Game, Udp>;

std::size_t env_or(const char* name, std::size_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != 0 ? static_cast<std::size_t>(std::strtoull(v, nullptr, 10)) : fallback;
}

/// Resident set size of this process, in KiB (VmRSS).
std::size_t rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "VmRSS:") {
      std::size_t kib = 0;
      status >> kib;
      return kib;
    }
    status.ignore(4096, '\n');
  }
  return 0;
}

/// CPU time this thread has used.
std::chrono::nanoseconds thread_cpu() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(udp_load_soak_test)

BOOST_AUTO_TEST_CASE(a_thousand_udp_clients_at_30_hz) {
  const std::size_t client_count = env_or("COURIER_LOAD_CLIENTS", 1000);
  const auto run_time = std::chrono::seconds(env_or("COURIER_LOAD_SECONDS", 60));
  // The server updates once per tick, after every client, as a game server's loop does; its
  // socket buffer (4 MiB requested, if net.core.rmem_max allows) holds a tick of datagrams.
  SteadyClock clock;

  const std::size_t rss_start = rss_kib();
  ServerConfig sc;
  sc.netcode.max_clients = client_count;
  sc.netcode.private_key = typed_test_key();
  Udp server_socket(typed_addr("127.0.0.1:0"));
  sc.netcode.public_address = server_socket.local_address();
  const Address server_address = server_socket.local_address();
  auto server = std::make_unique<Server<UdpGame>>(std::move(server_socket), sc);
  const std::size_t rss_server = rss_kib();

  UdpConfig client_socket;
  client_socket.socket_buffer_bytes = 256 * 1024;
  std::vector<std::unique_ptr<Client<UdpGame>>> clients;
  clients.reserve(client_count);
  for (std::size_t i = 0; i < client_count; ++i)
    clients.push_back(std::make_unique<Client<UdpGame>>(Udp(typed_addr("127.0.0.1:0"), client_socket)));
  const std::size_t rss_clients = rss_kib();

  std::chrono::nanoseconds server_cpu{0};
  std::map<std::uint64_t, std::size_t> index_of_id;
  std::map<std::uint32_t, std::size_t> index_of_slot;
  std::vector<ClientHandle> handle(client_count);
  std::vector<std::uint32_t> chats_sent(client_count), chats_received(client_count), notes_sent(client_count);
  std::vector<std::uint32_t> notes_received(client_count), pings_sent(client_count), pings_received(client_count);
  std::size_t out_of_order = 0, disconnects = 0, refused = 0, connected_events = 0;

  const auto serve = [&] {
    const auto t0 = thread_cpu();
    server->update(clock);
    while (auto e = server->poll_event()) {
      std::visit(overloaded{
                     [&](server_event::Connected<Login>& c) {
                       const std::size_t i = index_of_id.at(c.client_id);
                       handle[i] = c.client;
                       index_of_slot[c.client.slot] = i;
                       ++connected_events;
                     },
                     [&](server_event::Disconnected&) { ++disconnects; },
                     [&](server_event::Message<Chat>& m) {
                       const std::size_t i = index_of_slot.at(m.client.slot);
                       if (std::string(m.message.text.view()) != std::to_string(chats_received[i])) ++out_of_order;
                       ++chats_received[i];
                     },
                     [&](server_event::Message<Ping>& m) { ++pings_received[index_of_slot.at(m.client.slot)]; },
                     [&](auto&) {},
                 },
                 *e);
    }
    server_cpu += thread_cpu() - t0;
  };
  const auto drain_client = [&](std::size_t i) {
    while (auto e = clients[i]->poll_event()) {
      if (std::get_if<client_event::Message<Note>>(&*e) != nullptr) ++notes_received[i];
      else if (std::get_if<client_event::Disconnected>(&*e) != nullptr) ++disconnects;
    }
  };

  // Connect everyone (tokens from the same key, one per client id), at 30 Hz too.
  const auto tick_length = std::chrono::microseconds(1'000'000 / 30);
  for (std::size_t i = 0; i < client_count; ++i) {
    index_of_id[1 + i] = i;
    BOOST_REQUIRE(!clients[i]->connect(typed_token(UdpGame::protocol_id, 1 + i, server_address, clock.unix_now(), 120),
                                       Login{"load"}));
  }
  const auto connect_start = std::chrono::steady_clock::now();
  std::size_t connected = 0;
  while (connected < client_count && std::chrono::steady_clock::now() - connect_start < 60s) {
    const auto tick_end = std::chrono::steady_clock::now() + tick_length;
    connected = 0;
    for (std::size_t i = 0; i < client_count; ++i) {
      clients[i]->update(clock);
      drain_client(i);
      connected += clients[i]->connected() ? 1 : 0;
    }
    serve();
    std::this_thread::sleep_until(tick_end);
  }
  BOOST_REQUIRE_EQUAL(connected, client_count);
  const double connect_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - connect_start).count();
  server_cpu = {};
  disconnects = 0;

  // Steady traffic.
  const auto start = std::chrono::steady_clock::now();
  std::size_t ticks = 0, late_ticks = 0;
  while (std::chrono::steady_clock::now() - start < run_time) {
    const auto tick_end = std::chrono::steady_clock::now() + tick_length;
    ++ticks;
    for (std::size_t i = 0; i < client_count; ++i) {
      if (clients[i]->send(Chat{std::to_string(chats_sent[i]).c_str()})) ++chats_sent[i]; else ++refused;
      if (clients[i]->send(Ping{static_cast<std::uint32_t>(ticks)})) ++pings_sent[i];
      if (ticks % 3 == 0) {
        const auto t0 = thread_cpu();
        if (server->send(handle[i], Note{notes_sent[i]})) ++notes_sent[i]; else ++refused;
        server_cpu += thread_cpu() - t0;
      }
      clients[i]->update(clock);
      drain_client(i);
    }
    serve();
    if (std::chrono::steady_clock::now() > tick_end) ++late_ticks;
    std::this_thread::sleep_until(tick_end);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Drain: two seconds more without new messages, so everything in flight lands.
  const auto drain_end = std::chrono::steady_clock::now() + 2s;
  while (std::chrono::steady_clock::now() < drain_end) {
    for (std::size_t i = 0; i < client_count; ++i) {
      clients[i]->update(clock);
      drain_client(i);
    }
    serve();
    std::this_thread::sleep_for(tick_length);
  }

  std::uint64_t chats = 0, chats_in = 0, notes = 0, notes_in = 0, pings = 0, pings_in = 0;
  std::size_t lost_clients = 0;
  for (std::size_t i = 0; i < client_count; ++i) {
    chats += chats_sent[i];
    chats_in += chats_received[i];
    notes += notes_sent[i];
    notes_in += notes_received[i];
    pings += pings_sent[i];
    pings_in += pings_received[i];
    if (chats_received[i] != chats_sent[i] || notes_received[i] != notes_sent[i]) ++lost_clients;
  }
  const std::size_t rss_end = rss_kib();
  BOOST_TEST_MESSAGE("load: " << client_count << " clients over UDP 127.0.0.1, " << ticks << " ticks in " << seconds
                     << " s (" << late_ticks << " ticks overran 33 ms), connect phase " << connect_seconds << " s");
  BOOST_TEST_MESSAGE("load: server CPU " << std::chrono::duration<double>(server_cpu).count() << " s over " << seconds
                     << " s (" << 100.0 * std::chrono::duration<double>(server_cpu).count() / seconds << " % of a core)");
  BOOST_TEST_MESSAGE("load: RSS start " << rss_start / 1024 << " MiB, + server " << (rss_server - rss_start) / 1024
                     << " MiB, + clients " << (rss_clients - rss_server) / 1024 << " MiB ("
                     << (rss_clients - rss_server) / client_count << " KiB each), end " << rss_end / 1024 << " MiB");
  BOOST_TEST_MESSAGE("load: reliable chats " << chats_in << "/" << chats << ", notes " << notes_in << "/" << notes
                     << ", unreliable pings " << pings_in << "/" << pings << ", sends refused " << refused
                     << ", disconnects " << disconnects << ", out of order " << out_of_order);
  BOOST_TEST(disconnects == 0u);
  BOOST_TEST(out_of_order == 0u);
  BOOST_TEST(lost_clients == 0u);
  BOOST_TEST(chats_in == chats);
  BOOST_TEST(notes_in == notes);
  BOOST_TEST(server->num_connected() == client_count);
}

BOOST_AUTO_TEST_SUITE_END()
