#pragma once
// Test world for the typed Client<Pack> / Server<Pack>: one LoopbackNetwork, Simulated links
// (seeded, impairable per endpoint), a ManualClock stepped in 10 ms ticks, tokens made with a
// fixed private key for the pack's protocol id.

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <courier/core/manual_clock.hpp>
#include <courier/netcode/make_connect_token.hpp>
#include <courier/pack.hpp>
#include <courier/transport/loopback.hpp>
#include <courier/transport/loopback_network.hpp>
#include <courier/transport/simulated.hpp>
#include <courier/typed/client.hpp>
#include <courier/typed/host_client.hpp>
#include <courier/typed/server.hpp>

namespace courier {
// Boost.Test prints these in failure messages.
inline std::ostream& operator<<(std::ostream& os, DeliveryState s) { return os << "DeliveryState(" << static_cast<int>(s) << ")"; }
inline std::ostream& operator<<(std::ostream& os, RequestStatus s) { return os << describe(s); }
inline std::ostream& operator<<(std::ostream& os, Error e) { return os << describe(e); }
inline std::ostream& operator<<(std::ostream& os, CloseReason r) { return os << describe(r); }
inline std::ostream& operator<<(std::ostream& os, ClientHandle h) {
  return os << "ClientHandle{" << h.slot << ", " << h.generation << "}";
}
inline std::ostream& operator<<(std::ostream& os, ClientState s) { return os << "ClientState(" << static_cast<int>(s) << ")"; }
}  // namespace courier

namespace courier::netcode {
inline std::ostream& operator<<(std::ostream& os, DisconnectReason r) { return os << describe(r); }
}  // namespace courier::netcode

namespace courier::test {

inline Key typed_test_key() {
  Key k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(0x40 + i);
  return k;
}

inline Address typed_addr(const std::string& text) { return *Address::parse(text); }

using Token = ConnectToken;

/// A connect token for `protocol_id` naming the given server.
inline Token typed_token(std::uint64_t protocol_id, std::uint64_t client_id, Address server, UnixSeconds now,
                         std::int64_t expire_seconds = 30, std::int32_t timeout_seconds = 5) {
  ConnectTokenParams p;
  p.protocol_id = protocol_id;
  p.client_id = client_id;
  p.public_addresses = {server};
  p.now = now;
  p.options.expire_seconds = expire_seconds;
  p.options.timeout_seconds = timeout_seconds;
  p.private_key = typed_test_key();
  return netcode::make_connect_token<Netcode102>(p).value();
}

/// A server and clients of pack `P` (transport Simulated<Loopback>) on one manual clock.
template <class P>
struct World {
  using Sim = Simulated<Loopback>;
  static_assert(std::is_same_v<typename P::transport, Sim>);

  LoopbackNetwork network;
  ManualClock clock;
  Address server_address = typed_addr("10.0.0.1:40000");
  std::unique_ptr<Server<P>> server;
  std::vector<std::unique_ptr<Client<P>>> clients;
  std::uint64_t seed = 1;

  /// `book...`: the relay's address book, for packs whose Relay<Book> needs one.
  template <class... Book>
  explicit World(ServerConfig config = default_server_config(), SimulatedConfig link = {}, Book&&... book) {
    config.netcode.private_key = typed_test_key();
    config.netcode.public_address = server_address;
    server = std::make_unique<Server<P>>(Sim(Loopback(network, server_address), link, seed++), config,
                                         std::forward<Book>(book)...);
  }

  static ServerConfig default_server_config() {
    ServerConfig c;
    c.netcode.max_clients = 64;
    return c;
  }

  /// A new client at 10.0.1.<n>:50000 (n = its index + 1).
  Client<P>& add_client(SimulatedConfig link = {}, ClientConfig config = {}) {
    const std::size_t n = clients.size() + 1;
    const Address a = typed_addr("10.0." + std::to_string(1 + n / 250) + "." + std::to_string(1 + n % 250) + ":50000");
    clients.push_back(std::make_unique<Client<P>>(Sim(Loopback(network, a), link, seed++), config));
    return *clients.back();
  }

  Token token(std::uint64_t client_id, std::int64_t expire_seconds = 30, std::int32_t timeout_seconds = 5) {
    return typed_token(P::protocol_id, client_id, server_address, clock.unix_now(), expire_seconds, timeout_seconds);
  }

  /// One 10 ms tick: every client, then the server.
  void tick(Duration step = std::chrono::milliseconds(10)) {
    clock.advance(step);
    for (auto& c : clients) c->update(clock);
    server->update(clock);
  }

  /// Ticks until `done()` or `limit` of simulated time; true when done.
  bool run_until(const std::function<bool()>& done, Duration limit = std::chrono::seconds(10)) {
    const TimePoint end = clock.now() + limit;
    while (clock.now() < end) {
      if (done()) return true;
      tick();
    }
    return done();
  }
  void run_for(Duration d) {
    run_until([] { return false; }, d);
  }

  /// Cuts (or restores) every datagram a client and the server send.
  void cut(Client<P>& c, bool cut) {
    SimulatedConfig link;
    link.loss = cut ? 1.0 : 0.0;
    c.transport().set_config(link);
    server->transport().set_config(link);
  }
};

/// Every event of a client or server, drained and kept.
template <class Side>
auto drain(Side& side) {
  std::vector<typename Side::Event> out;
  while (auto e = side.poll_event()) out.push_back(std::move(*e));
  return out;
}

template <class E, class Events>
std::vector<E> of_type(const Events& events) {
  std::vector<E> out;
  for (const auto& e : events)
    if (const E* p = std::get_if<E>(&e)) out.push_back(*p);
  return out;
}

}  // namespace courier::test
