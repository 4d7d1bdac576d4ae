#pragma once
// Test harness for the netcode Client and Server: a ManualClock, a LoopbackNetwork, token
// generation with the vectors' fixed inputs, a transport wrapper that records every datagram,
// and a crypto policy whose random source is fixed (to replay the reference transcript).

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include <courier/core/manual_clock.hpp>
#include <courier/crypto/netcode102.hpp>
#include <courier/netcode/netcode_client.hpp>
#include <courier/netcode/make_connect_token.hpp>
#include <courier/netcode/netcode_server.hpp>
#include <courier/transport/loopback.hpp>
#include <courier/transport/loopback_network.hpp>

namespace courier::test {

inline constexpr std::uint64_t test_protocol_id = 0x1122334455667788ull;

inline Key test_private_key() {
  Key k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(i);
  return k;
}

inline Address addr(const char* text) { return *Address::parse(text); }

/// Netcode102 whose random bytes are 0x80, 0x81, ... (the vectors' challenge key).
struct FixedRandomNetcode102 : Netcode102 {
  static void random_bytes(std::span<std::byte> out) noexcept {
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::byte>(0x80 + i);
  }
};

/// One datagram as seen on the wire.
struct WireRecord {
  Address from;
  Address to;
  std::vector<std::byte> bytes;
};

/// Wraps a transport and appends every datagram it sends to a shared log.
template <class Inner>
class Recorded {
 public:
  Recorded(Inner inner, std::vector<WireRecord>* log) : inner_(std::move(inner)), log_(log) {}
  std::error_code send(const Address& to, std::span<const std::byte> bytes) noexcept {
    log_->push_back({inner_.local_address(), to, {bytes.begin(), bytes.end()}});
    return inner_.send(to, bytes);
  }
  void flush() noexcept { inner_.flush(); }
  std::size_t receive(std::span<Datagram> slots) noexcept { return inner_.receive(slots); }
  void update(TimePoint now) noexcept { inner_.update(now); }
  [[nodiscard]] Address local_address() const noexcept { return inner_.local_address(); }
  Inner& inner() noexcept { return inner_; }

 private:
  Inner inner_;
  std::vector<WireRecord>* log_;
};

/// A token for the given servers, with the vectors' protocol id and private key.
inline std::array<std::byte, netcode::connect_token_bytes> make_token(
    std::uint64_t client_id, netcode::AddressList servers, UnixSeconds now, std::int64_t expire_seconds = 30,
    std::int32_t timeout_seconds = 5, netcode::AddressList internal = {}) {
  ConnectTokenParams p;
  p.protocol_id = test_protocol_id;
  p.client_id = client_id;
  p.public_addresses = servers;
  p.options.internal_addresses = internal;
  p.now = now;
  p.options.expire_seconds = expire_seconds;
  p.options.timeout_seconds = timeout_seconds;
  p.private_key = test_private_key();
  for (std::size_t i = 0; i < p.options.user_data.size(); ++i) p.options.user_data[i] = static_cast<std::uint8_t>(client_id + i);
  const ConnectToken made = netcode::make_connect_token<Netcode102>(p).value();
  std::array<std::byte, netcode::connect_token_bytes> token{};
  std::copy(made.bytes().begin(), made.bytes().end(), token.begin());
  return token;
}

inline netcode::NetcodeServerConfig server_config(Address public_address, std::size_t max_clients = 16) {
  netcode::NetcodeServerConfig c;
  c.protocol_id = test_protocol_id;
  c.private_key = test_private_key();
  c.public_address = public_address;
  c.max_clients = max_clients;
  return c;
}

using LoopServer = netcode::NetcodeServer<Loopback>;
using LoopClient = netcode::NetcodeClient<Loopback>;

/// Drives any set of servers and clients over one ManualClock.
struct World {
  ManualClock clock;
  LoopbackNetwork network{4096};
  std::vector<std::function<void()>> updaters;

  template <class S>
  void add_server(S& s) {
    updaters.push_back([this, &s] { s.update(clock); });
  }
  template <class C>
  void add_client(C& c) {
    updaters.push_back([this, &c] { c.update(clock.now()); });
  }
  /// Advances time by `dt` and updates every endpoint, `steps` times.
  void step(Duration dt = std::chrono::milliseconds(10), int steps = 1) {
    for (int i = 0; i < steps; ++i) {
      clock.advance(dt);
      for (auto& u : updaters) u();
    }
  }
  /// Steps until `done()` or `limit` of simulated time passed; true when done.
  bool run_until(const std::function<bool()>& done, Duration limit = std::chrono::seconds(20),
                 Duration dt = std::chrono::milliseconds(10)) {
    const auto end = clock.now() + limit;
    while (clock.now() < end) {
      if (done()) return true;
      step(dt);
    }
    return done();
  }
};

inline const Address test_server_address = addr("10.0.0.1:40000");
inline const Address test_client_address = addr("10.0.1.1:50000");

/// The setup most netcode tests share: a World with one Loopback server (the test key and
/// protocol id, bound at `bind`) and one client, both driven by the world. Used as a Boost
/// fixture (BOOST_FIXTURE_TEST_CASE(name, Setup)) or built with the config a test changes.
struct Setup : World {
  explicit Setup(netcode::NetcodeServerConfig config = server_config(test_server_address),
                 Address bind = test_server_address, Address client_address = test_client_address)
      : server(Loopback(network, bind), std::move(config)), client(Loopback(network, client_address)) {
    add_server(server);
    add_client(client);
  }
  Setup(const Setup&) = delete;
  Setup& operator=(const Setup&) = delete;

  /// A token for this server issued now: dialled at its bind address, naming its public address.
  [[nodiscard]] std::array<std::byte, netcode::connect_token_bytes> token(
      std::uint64_t client_id = 1, std::int64_t expire_seconds = 30, std::int32_t timeout_seconds = 5) const {
    const Address bind = server.bind_address();
    const Address named = server.public_address();
    return make_token(client_id, {bind}, clock.unix_now(), expire_seconds, timeout_seconds,
                      named == bind ? netcode::AddressList{} : netcode::AddressList{named});
  }

  /// Starts `c` connecting with `token`; true when it is connected within `limit` of simulated time.
  bool connect(LoopClient& c, std::span<const std::byte> token, Duration limit = std::chrono::seconds(3)) {
    if (c.connect(token, clock.now())) return false;
    return run_until([&] { return c.connected(); }, limit);
  }
  bool connect(std::span<const std::byte> token) { return connect(client, token); }

  LoopServer server;
  LoopClient client;
};

}  // namespace courier::test
