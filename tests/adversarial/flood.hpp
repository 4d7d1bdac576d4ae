#pragma once
// A garbage flood during steady traffic: clients send reliable (Chat, numbered) and unreliable
// (Ping) messages every tick and the server sends each a reliable Note every fifth tick, while
// an attacker adds one hostile datagram to the server for every nine legitimate ones (10 % of
// what it receives): random bytes from random or real addresses, replays, bit flips and
// truncations of recent real datagrams from their real sources, and real datagrams from spoofed
// sources. Nothing may disconnect and every reliable message must arrive, in order where ordered.

#include "adversarial/wire.hpp"

#include <boost/test/unit_test.hpp>

#include <deque>
#include <map>
#include <set>
#include <string>

#include <courier/core/random.hpp>

namespace courier::adversarial {

inline void run_flood(std::size_t client_count, Duration length) {
  using namespace std::chrono_literals;
  Arena arena(client_count + 2);
  std::map<std::uint64_t, Client<Pack>*> by_id;
  for (std::size_t i = 0; i < client_count; ++i) {
    auto& c = arena.add_client();
    BOOST_REQUIRE(!c.connect(arena.token(1 + i), Login{"c"}));
    by_id[1 + i] = &c;
  }
  BOOST_REQUIRE(arena.run_until([&] {
    if (arena.server->num_connected() != client_count) return false;
    for (auto& c : arena.clients)
      if (!c->connected()) return false;
    return true;
  }));
  std::map<std::uint64_t, ClientHandle> handle;
  std::map<std::uint32_t, std::uint64_t> id_of_slot;
  for (const auto& e : drain(*arena.server))
    if (const auto* c = std::get_if<server_event::Connected<Login>>(&e)) {
      handle[c->client_id] = c->client;
      id_of_slot[c->client.slot] = c->client_id;
    }
  for (auto& c : arena.clients) (void)drain(*c);
  BOOST_REQUIRE(handle.size() == client_count);

  Rng rng(0xF100D);
  std::deque<Sent> recent;   // legitimate datagrams to the server, newest last
  std::size_t seen = 0;      // log entries already looked at
  double credit = 0;
  std::uint64_t legit = 0, hostile = 0;
  arena.per_tick.push_back([&] {
    for (; seen < arena.log.sent.size(); ++seen) {
      const Sent& s = arena.log.sent[seen];
      if (!(s.to == arena.server_address)) continue;
      ++legit;
      credit += 1.0 / 9.0;
      recent.push_back(s);
      if (recent.size() > 256) recent.pop_front();
    }
    arena.log.sent.clear();
    seen = 0;
    while (credit >= 1.0 && !recent.empty()) {
      credit -= 1.0;
      ++hostile;
      const Sent& r = recent[rng.below(recent.size())];
      std::vector<std::byte> d = r.bytes;
      Address from = r.from;
      switch (rng.below(6)) {
        case 0:  // random bytes from a random address
          d.resize(rng.below(1501));
          for (auto& x : d) x = static_cast<std::byte>(rng.next());
          from = typed_addr("172.16." + std::to_string(rng.below(256)) + "." + std::to_string(1 + rng.below(250)) + ":" +
                            std::to_string(1024 + rng.below(60000)));
          break;
        case 1:  // random bytes from a real client, with a plausible prefix
          d.resize(1 + rng.below(1300));
          for (auto& x : d) x = static_cast<std::byte>(rng.next());
          d[0] = static_cast<std::byte>(rng.below(7) | ((1 + rng.below(8)) << 4));
          break;
        case 2: break;  // replayed as is
        case 3: d[rng.below(d.size())] ^= static_cast<std::byte>(1u << rng.below(8)); break;
        case 4: d.resize(rng.below(d.size())); break;
        default: from = arena.client_addresses[rng.below(arena.client_addresses.size())]; break;  // another's
      }
      arena.inject(from, d);
    }
  });

  std::map<std::uint64_t, std::uint32_t> chats_sent, chats_received;   // by client id
  std::map<std::uint64_t, std::uint32_t> notes_sent;
  std::map<std::uint64_t, std::set<std::uint32_t>> notes_received;
  std::size_t unexpected = 0;
  std::uint64_t tick = 0;
  const TimePoint end = arena.clock.now() + length;
  const auto drain_all = [&] {
    for (auto& e : drain(*arena.server)) {
      if (const auto* m = std::get_if<server_event::Message<Chat>>(&e)) {
        const std::uint64_t id = id_of_slot[m->client.slot];
        const std::string expect = std::to_string(chats_received[id]);
        BOOST_TEST(std::string(m->message.text.view()) == expect);
        ++chats_received[id];
      } else if (std::get_if<server_event::Message<Ping>>(&e) == nullptr) {
        ++unexpected;
      }
    }
    for (auto& [id, c] : by_id)
      for (auto& e : drain(*c)) {
        if (const auto* n = std::get_if<client_event::Message<Note>>(&e))
          BOOST_TEST(notes_received[id].insert(n->message.n).second);
        else
          ++unexpected;
      }
  };
  while (arena.clock.now() < end) {
    ++tick;
    for (auto& [id, c] : by_id) {
      if (c->send(Chat{std::to_string(chats_sent[id]).c_str()})) ++chats_sent[id];
      (void)c->send(Ping{static_cast<std::uint32_t>(tick)});
      if (tick % 5 == 0 && arena.server->send(handle[id], Note{notes_sent[id]})) ++notes_sent[id];
    }
    arena.tick();
    drain_all();
  }
  arena.per_tick.clear();
  arena.run_for(2s);  // everything in flight lands
  drain_all();
  BOOST_TEST_MESSAGE("flood: " << client_count << " clients, " << legit << " legitimate datagrams, " << hostile
                               << " hostile (" << (100.0 * static_cast<double>(hostile) / static_cast<double>(legit + hostile))
                               << " %)");
  BOOST_TEST(static_cast<double>(hostile) >= 0.09 * static_cast<double>(legit + hostile));
  BOOST_TEST(unexpected == 0u);
  BOOST_TEST(arena.server->num_connected() == client_count);
  for (auto& [id, c] : by_id) {
    BOOST_TEST_CONTEXT("client " << id) {
      BOOST_TEST(c->connected());
      BOOST_TEST(chats_sent[id] > 0u);
      BOOST_TEST(chats_received[id] == chats_sent[id]);
      BOOST_TEST(notes_received[id].size() == notes_sent[id]);
    }
  }
}

}  // namespace courier::adversarial
