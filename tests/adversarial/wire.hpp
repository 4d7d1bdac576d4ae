#pragma once
// Harness of the adversarial tests: typed Client<Pack> / Server<Pack> over a Tap transport (a
// Loopback endpoint that records every datagram it sends), an attacker who can deliver any bytes
// from any source address, and byte accounting per address for the amplification checks.

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <courier/core/manual_clock.hpp>
#include <courier/netcode/packet.hpp>
#include <courier/transport/loopback.hpp>
#include <courier/transport/loopback_network.hpp>

#include "typed/game_pack.hpp"
#include "typed/harness.hpp"

namespace courier::adversarial {

using namespace courier::test;

/// One datagram as it left its sender.
struct Sent {
  Address from;
  Address to;
  std::vector<std::byte> bytes;
};

/// Everything every Tap sent, in order.
struct WireLog {
  std::vector<Sent> sent;
  bool recording = true;
  /// Bytes sent to `to` (from anyone) since the log started.
  [[nodiscard]] std::uint64_t bytes_to(const Address& to) const {
    std::uint64_t n = 0;
    for (const auto& s : sent) n += s.to == to ? s.bytes.size() : 0;
    return n;
  }
};

/// A Loopback endpoint that appends what it sends to a WireLog.
class Tap {
 public:
  Tap(LoopbackNetwork& network, Address address, WireLog& log) : inner_(network, address), log_(&log) {}
  std::error_code send(const Address& to, std::span<const std::byte> bytes) noexcept {
    if (log_->recording) log_->sent.push_back({inner_.local_address(), to, {bytes.begin(), bytes.end()}});
    return inner_.send(to, bytes);
  }
  void flush() noexcept { inner_.flush(); }
  std::size_t receive(std::span<Datagram> slots) noexcept { return inner_.receive(slots); }
  void update(TimePoint now) noexcept { inner_.update(now); }
  [[nodiscard]] Address local_address() const noexcept { return inner_.local_address(); }

 private:
  Loopback inner_;
  WireLog* log_;
};
static_assert(Transport<Tap>);

using Pack = WithTransport<Game, Tap>;

/// The netcode packet type of a datagram (connection_request for a leading 0), or nullopt.
inline std::optional<netcode::PacketType> type_of(std::span<const std::byte> d) {
  if (d.empty()) return std::nullopt;
  const std::size_t t = static_cast<std::uint8_t>(d[0]) & 0x0fu;
  if (t >= netcode::packet_type_count) return std::nullopt;
  return static_cast<netcode::PacketType>(t);
}

/// A server and clients of `Pack` on one LoopbackNetwork and one ManualClock.
struct Arena {
  LoopbackNetwork network{8192};
  ManualClock clock;
  WireLog log;
  Address server_address = typed_addr("10.0.0.1:40000");
  std::unique_ptr<Server<Pack>> server;
  std::vector<std::unique_ptr<Client<Pack>>> clients;
  std::vector<Address> client_addresses;
  std::vector<std::function<void()>> per_tick;  ///< run each tick before the server updates

  explicit Arena(std::size_t max_clients = 16) {
    ServerConfig config;
    config.netcode.max_clients = max_clients;
    config.netcode.private_key = typed_test_key();
    config.netcode.public_address = server_address;
    server = std::make_unique<Server<Pack>>(Tap(network, server_address, log), config);
  }

  Client<Pack>& add_client() {
    const std::size_t n = clients.size() + 1;
    const Address a = typed_addr("10.0.1." + std::to_string(n) + ":50000");
    client_addresses.push_back(a);
    clients.push_back(std::make_unique<Client<Pack>>(Tap(network, a, log)));
    return *clients.back();
  }

  Token token(std::uint64_t client_id, std::int64_t expire_seconds = 30) {
    return typed_token(Pack::protocol_id, client_id, server_address, clock.unix_now(), expire_seconds);
  }

  /// Connects client `c` with a fresh token for `client_id`; true when connected.
  bool connect(Client<Pack>& c, std::uint64_t client_id) {
    if (c.connect(token(client_id), Login{"p"})) return false;
    return run_until([&] { return c.connected(); });
  }

  void tick(Duration step = std::chrono::milliseconds(10)) {
    clock.advance(step);
    for (auto& c : clients) c->update(clock);
    for (auto& f : per_tick) f();
    server->update(clock);
  }
  bool run_until(const std::function<bool()>& done, Duration limit = std::chrono::seconds(10)) {
    const TimePoint end = clock.now() + limit;
    while (clock.now() < end) {
      if (done()) return true;
      tick();
    }
    return done();
  }
  void run_for(Duration d) { run_until([] { return false; }, d); }

  /// Delivers `bytes` to the server as if sent from `from` (any address: spoofing is free).
  void inject(const Address& from, std::span<const std::byte> bytes) { network.deliver(from, server_address, bytes); }
  /// Delivers `bytes` to `to` as if the server had sent them.
  void inject_to(const Address& to, std::span<const std::byte> bytes) { network.deliver(server_address, to, bytes); }

  /// Datagrams recorded so far from `from` to `to`.
  std::vector<Sent> captured(const Address& from, const Address& to) const {
    std::vector<Sent> out;
    for (const auto& s : log.sent)
      if (s.from == from && s.to == to) out.push_back(s);
    return out;
  }
};

/// Every event of `side`, drained; counts those of type E.
template <class E, class Side>
std::size_t count_events(Side& side) {
  return of_type<E>(drain(side)).size();
}

}  // namespace courier::adversarial
