#pragma once
/// \file
/// Settings of the typed Client and Server. Everything about the protocol comes from the pack;
/// these are the runtime knobs. Checked at construction (std::system_error(invalid_config)).

#include <cstddef>
#include <cstdint>
#include <string>

#include "courier/core/chrono.hpp"
#include "courier/core/time.hpp"
#include "courier/netcode/netcode_config.hpp"
#include "courier/reliable/rate_config.hpp"
#include "courier/relay/relay_limits.hpp"

namespace courier {

/// Automatic reconnection with the server's reconnect token after a lost connection.
struct ReconnectPolicy {
  bool enabled = true;
  std::size_t max_attempts = 5;                                  ///< per lost connection
  Duration first_backoff = std::chrono::milliseconds(100);       ///< before the 2nd attempt
  Duration max_backoff = std::chrono::seconds(2);                ///< doubling stops here
};

struct ClientConfig {
  netcode::NetcodeClientConfig netcode;
  /// Send and receive queue capacity of each pack channel (power of two, 2 .. 16384).
  std::size_t queue_capacity = 256;
  /// Requests whose status is remembered (power of two); a new request may not reuse the
  /// record of one still pending (send_queue_full).
  std::size_t request_capacity = 1024;
  Duration request_timeout = std::chrono::seconds(10);
  /// After netcode connects, the server's hello must come within this long (else the attempt
  /// fails with connection_timed_out).
  Duration hello_timeout = std::chrono::seconds(5);
  ReconnectPolicy reconnect;
  /// Per-connection bookkeeping: sends whose status is tracked, and messages recorded across
  /// unacked packets (see ConnectionConfig). Smaller is less memory per connection.
  std::size_t status_capacity = 1024;
  std::size_t max_messages_in_flight = 1024;
  /// How long a side that has nothing to send waits before sending an ack-only packet. 0 (the
  /// default): acks go out with the next update or flush, so a sender's window never waits on a
  /// timer (a 10 ms delay cost the windowed benchmark 97×); at most one ack-only packet per
  /// update per connection either way.
  Duration ack_delay = Duration::zero();
  /// The connection's send-rate controller (off by default; docs/PERFORMANCE.md, "Congestion
  /// control").
  RateConfig rate;

  [[nodiscard]] std::string check() const {
    if (std::string e = netcode.check(); !e.empty()) return e;
    if (const char* e = rate.check()) return e;
    const auto pow2 = [](std::size_t n) { return n >= 2 && n <= 16384 && (n & (n - 1)) == 0; };
    if (!pow2(queue_capacity)) return "queue_capacity must be a power of two in [2, 16384]";
    if (request_capacity < 2 || request_capacity > (std::size_t{1} << 20) || (request_capacity & (request_capacity - 1)) != 0)
      return "request_capacity must be a power of two in [2, 2^20]";
    if (request_timeout <= Duration::zero()) return "request_timeout must be > 0";
    if (hello_timeout <= Duration::zero()) return "hello_timeout must be > 0";
    if (status_capacity < 16 || max_messages_in_flight < 256) return "status_capacity >= 16, max_messages_in_flight >= 256";
    if (ack_delay < Duration::zero()) return "ack_delay must be >= 0";
    if (reconnect.first_backoff <= Duration::zero() || reconnect.max_backoff < reconnect.first_backoff)
      return "reconnect backoff must be > 0 and max_backoff >= first_backoff";
    return {};
  }
};

struct ServerConfig {
  /// protocol_id is ignored: the pack's protocol id is used.
  netcode::NetcodeServerConfig netcode;
  std::size_t queue_capacity = 256;  ///< as ClientConfig::queue_capacity
  /// Lifetime of the reconnect tokens the server hands its clients; refreshed at a third of it.
  std::chrono::seconds reconnect_token_lifetime{30};
  /// Timeout written into reconnect tokens (seconds without packets before either side gives up).
  std::int32_t reconnect_token_timeout_seconds = 5;
  /// How long a closed client's connection lingers so its close frame (with the reason) can be
  /// resent until acked; then the slot is freed regardless.
  Duration close_linger = std::chrono::seconds(1);
  /// A client that does not say hello within this long after connecting is disconnected.
  Duration hello_timeout = std::chrono::seconds(5);
  /// Relay limits per client (packs with a Relay).
  RelayLimits relay;
  std::size_t status_capacity = 1024;          ///< as ClientConfig::status_capacity
  std::size_t max_messages_in_flight = 1024;   ///< as ClientConfig::max_messages_in_flight
  Duration ack_delay = Duration::zero();       ///< as ClientConfig::ack_delay
  RateConfig rate;                             ///< as ClientConfig::rate, for every client

  [[nodiscard]] std::string check() const {
    if (const char* e = rate.check()) return e;
    const auto pow2 = [](std::size_t n) { return n >= 2 && n <= 16384 && (n & (n - 1)) == 0; };
    if (!pow2(queue_capacity)) return "queue_capacity must be a power of two in [2, 16384]";
    if (reconnect_token_lifetime < std::chrono::seconds(3)) return "reconnect_token_lifetime must be >= 3 s";
    if (reconnect_token_timeout_seconds <= 0) return "reconnect_token_timeout_seconds must be > 0";
    if (netcode.max_token_lifetime != std::chrono::seconds::zero() && reconnect_token_lifetime < netcode.max_token_lifetime)
      return "reconnect_token_lifetime must be >= netcode.max_token_lifetime (the restart rule would refuse the "
             "server's own reconnect tokens for a while after it starts)";
    if (close_linger < Duration::zero()) return "close_linger must be >= 0";
    if (hello_timeout <= Duration::zero()) return "hello_timeout must be > 0";
    if (status_capacity < 16 || max_messages_in_flight < 256) return "status_capacity >= 16, max_messages_in_flight >= 256";
    if (ack_delay < Duration::zero()) return "ack_delay must be >= 0";
    return {};
  }
};

}  // namespace courier
