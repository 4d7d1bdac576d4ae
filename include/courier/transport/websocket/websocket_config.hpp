#pragma once
/// \file
/// Settings and counters of the WebSocket transports (WebSocketServer, WebSocketClient). Kept
/// apart from their headers so that code which only configures or reports them does not
/// include Boost.Beast.

#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>

#include "courier/core/time.hpp"
#include "courier/transport/datagram.hpp"
#include "courier/transport/transport_stats.hpp"

namespace courier {

/// Why a WebSocket connection ended. Every end is counted by its reason
/// (WebSocketStats::closes); the limits of WebSocketServerConfig each have their own.
enum class WebSocketClose : std::uint8_t {
  peer_closed,           ///< the peer sent a close frame or ended the TCP connection
  closed_here,           ///< this side closed it (close(), or the transport was destroyed)
  message_too_large,     ///< a message above max_message_bytes (RFC 6455 close code 1009)
  text_frame,            ///< a text message: only binary messages carry datagrams (code 1003)
  protocol_error,        ///< a frame RFC 6455 forbids (e.g. an unmasked client frame, a bad opcode)
  handshake_failed,      ///< the HTTP upgrade or the TLS handshake failed or was refused
  handshake_deadline,    ///< the upgrade did not complete within handshake_deadline (slowloris)
  too_many_connections,  ///< the server already held max_connections (closed at accept)
  too_many_from_source,  ///< its ip address already held max_connections_per_source (at accept)
  source_rate,           ///< its ip address opened connections faster than its rate (at accept)
  slow_reader,           ///< the peer read too slowly: the send queue reached its bound
  idle,                  ///< no message for idle_timeout
  connect_failed,        ///< client: the TCP connection could not be opened
  io_error,              ///< any other socket error
  count_                 ///< number of reasons; not a reason
};

inline constexpr std::size_t websocket_close_count = static_cast<std::size_t>(WebSocketClose::count_);

[[nodiscard]] constexpr const char* describe(WebSocketClose r) noexcept {
  constexpr const char* names[] = {
      "peer closed",     "closed here",        "message too large",    "text frame",
      "protocol error",  "handshake failed",   "handshake deadline",   "too many connections",
      "too many from source", "source rate",   "slow reader",          "idle",
      "connect failed",  "io error"};
  static_assert(std::size(names) == websocket_close_count, "one name per WebSocketClose");
  const auto i = static_cast<std::size_t>(r);
  return i < websocket_close_count ? names[i] : "unknown";
}

/// Counters of one WebSocket transport: datagrams as for every transport, plus connections.
struct WebSocketStats {
  TransportStats transport;                ///< datagrams (= binary messages) and their drops
  std::uint64_t connections_opened = 0;    ///< upgrades completed (server: accepted; client: dialled)
  std::array<std::uint64_t, websocket_close_count> closes{};  ///< connections ended, by reason

  [[nodiscard]] std::uint64_t closed(WebSocketClose r) const noexcept { return closes[static_cast<std::size_t>(r)]; }
  void count(WebSocketClose r) noexcept { ++closes[static_cast<std::size_t>(r)]; }
};

/// Limits shared by both ends: what one connection may hold or take.
struct WebSocketLimits {
  /// Largest binary message accepted; a larger one closes the connection (message_too_large).
  /// At most max_datagram_bytes: one message carries one datagram.
  std::size_t max_message_bytes = max_datagram_bytes;
  /// Messages waiting to be written to one connection; one more closes it (slow_reader).
  std::size_t max_send_queue = 256;
  /// Received datagrams waiting for receive() (all connections); more are dropped as queue_full.
  std::size_t receive_queue = 1024;
  /// A connection with no message for this long is closed (idle). netcode's keep-alives
  /// arrive 10 times a second, so only a peer that stopped talking hits it.
  Duration idle_timeout = std::chrono::seconds(15);
  /// From TCP accept (or dial) to a completed upgrade, TLS included (handshake_deadline).
  Duration handshake_deadline = std::chrono::seconds(5);

  /// Empty when valid, else the name of the bad field and why.
  [[nodiscard]] std::string check() const {
    if (max_message_bytes < 1 || max_message_bytes > max_datagram_bytes)
      return "max_message_bytes must be 1..max_datagram_bytes";
    if (max_send_queue < 1) return "max_send_queue must be >= 1";
    if (receive_queue < 1) return "receive_queue must be >= 1";
    if (idle_timeout <= Duration::zero()) return "idle_timeout must be > 0";
    if (handshake_deadline <= Duration::zero()) return "handshake_deadline must be > 0";
    return {};
  }
};

/// WebSocketServer settings, fixed when it opens.
struct WebSocketServerConfig {
  WebSocketLimits limits;
  /// Open connections (upgraded or upgrading); one more is closed at accept (too_many_connections).
  std::size_t max_connections = 1024;
  /// Per source ip address (any port), checked at accept before any TLS or HTTP work: at most
  /// `max_connections_per_source` open at once (too_many_from_source), and new connections at
  /// `connects_per_second_per_source` on average with bursts of `connect_burst_per_source`
  /// (source_rate; a token bucket per address, SourceRateLimiter). Players behind one NAT share
  /// an address, hence the room; 0 turns a limit off. Addresses share `source_buckets` buckets.
  std::size_t max_connections_per_source = 64;
  std::uint32_t connects_per_second_per_source = 20;
  std::uint32_t connect_burst_per_source = 40;
  std::size_t source_buckets = 4096;
  /// wss://: PEM certificate chain and private key files. Both empty: plain ws://.
  std::string certificate_file;
  std::string private_key_file;
  /// The request path clients upgrade on is not checked; any path is served.

  [[nodiscard]] bool secure() const noexcept { return !certificate_file.empty() || !private_key_file.empty(); }
  [[nodiscard]] std::string check() const {
    if (max_connections < 1) return "max_connections must be >= 1";
    if (connects_per_second_per_source > 1'000'000)
      return "connects_per_second_per_source above 1000000 limits nothing (0 turns the per-source limit off)";
    if (connects_per_second_per_source > 0 && connect_burst_per_source < 1)
      return "connect_burst_per_source must be >= 1 when connects_per_second_per_source is set";
    if (certificate_file.empty() != private_key_file.empty())
      return "certificate_file and private_key_file go together (both set for wss://, both empty for ws://)";
    return limits.check();
  }
};

/// WebSocketClient settings. The client dials every address it is asked to send to
/// (docs/PROTOCOL.md "WebSocket": which token addresses a WebSocket client uses).
struct WebSocketClientConfig {
  WebSocketLimits limits;
  /// true: wss:// to every address; false: ws://, except to addresses whose link is
  /// websocket_secure.
  bool secure = false;
  /// wss://: the server certificate is verified against the system's trust store (and
  /// ca_file) and must name `server_name` (or the dialled IP when empty). Verification is on
  /// unless accept_self_signed is set.
  std::string server_name;
  /// An extra PEM file of trusted certificates (e.g. a development server's own certificate).
  std::string ca_file;
  /// Development only: accept any certificate, unverified. Never in production.
  bool accept_self_signed = false;
  /// Host header and request target of the upgrade.
  std::string path = "/";

  [[nodiscard]] std::string check() const {
    if (path.empty() || path.front() != '/') return "path must start with '/'";
    return limits.check();
  }
};

}  // namespace courier
