#pragma once
/// \file
/// WebSocketClient: the client side of the WebSocket transport, for native programs that
/// cannot use UDP. `send(to, bytes)` to an address with no open connection dials one (ws://,
/// or wss:// when configured or when `to`'s link is websocket_secure) and queues the message
/// until the upgrade completes; each binary message received is one datagram from `to` (the
/// address exactly as the caller gave it, so the netcode client recognises its server). A
/// connection that fails or closes is reported by take_unreachable(), and the netcode client
/// moves on to the next server of its token at once (docs/PROTOCOL.md "WebSocket").
///
/// Every address it is given is dialled as a WebSocket server: a token's UDP-only entries fail
/// to connect and are skipped that way. No thread, no blocking call but wait_for_input: every
/// operation polls the transport's own io_context. Not included by courier/courier.hpp: link
/// courier::websocket. Boost.Beast is included by the definitions only, as for
/// WebSocketServer (impl/websocket_client.hpp).

#include <memory>
#include <optional>
#include <span>
#include <system_error>

#include "courier/core/config.hpp"
#include "courier/core/error.hpp"
#include "courier/core/time.hpp"
#include "courier/transport/address.hpp"
#include "courier/transport/datagram.hpp"
#include "courier/transport/websocket/websocket_config.hpp"

namespace courier {

class WebSocketClient {
 public:
  /// Throws std::system_error (invalid_config: config out of range, an unreadable ca_file). The
  /// TLS context is made here, so that a wss:// dial later cannot fail on configuration.
  explicit WebSocketClient(WebSocketClientConfig config = {});
  WebSocketClient(WebSocketClient&&) noexcept;
  WebSocketClient& operator=(WebSocketClient&&) noexcept;
  ~WebSocketClient();

  /// Queues one binary message to `to`, dialling it first when no connection is open.
  /// Errors: message_too_large, invalid_address (none), not_connected on a moved-from object.
  [[nodiscard]] std::error_code send(const Address& to, std::span<const std::byte> bytes) noexcept;
  void flush() noexcept;
  [[nodiscard]] std::size_t receive(std::span<Datagram> slots) noexcept;
  /// Blocks until a datagram waits for receive(), one of `other_fds` is readable, or `max_wait`
  /// passes (WaitsForInput: what Client::wait and wait_for_input call).
  [[nodiscard]] bool wait_for_input(Duration max_wait, std::span<const int> other_fds = {}) noexcept;
  /// Runs what is ready, then closes connections past the handshake deadline or idle timeout.
  void update(TimePoint now) noexcept;
  /// The next address whose connection failed or ended since the last call.
  [[nodiscard]] std::optional<Address> take_unreachable() noexcept;
  /// Closes the connection to `server` (closed_here); false when there is none.
  bool close(const Address& server) noexcept;

  /// A client has no bound address of its own: the none address.
  [[nodiscard]] Address local_address() const noexcept { return {}; }
  [[nodiscard]] std::size_t connections() const noexcept;
  /// True when the connection to `server` has completed its upgrade.
  [[nodiscard]] bool is_open(const Address& server) const noexcept;
  [[nodiscard]] const WebSocketStats& stats() const noexcept;
  [[nodiscard]] const WebSocketClientConfig& config() const noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace courier

#if !defined(COURIER_SEPARATE_COMPILATION)
#include "courier/transport/websocket/impl/websocket_client.hpp"
#endif
