#pragma once
/// \file
/// WebSocketServer: the server side of the WebSocket transport. It listens on a TCP address,
/// accepts WebSocket connections (ws://, or wss:// with a certificate), and maps each binary
/// message a connection receives to one datagram from that connection's peer address (link
/// websocket or websocket_secure); `send(to, bytes)` writes one binary message to the
/// connection of `to` (docs/PROTOCOL.md "WebSocket"). It satisfies Transport, so the netcode
/// server, the channels and Server<Pack> run over it unchanged, and ReportsUnreachable, so a
/// peer whose connection ended frees its slot at once.
///
/// No thread of its own and no blocking call but wait_for_input: every operation polls the
/// transport's io_context (Boost.Asio), running only what is ready. Limits
/// (WebSocketServerConfig) bound what a peer can make it hold; each connection that breaks one
/// is closed and counted by reason in stats().closes. Not included by courier/courier.hpp: link
/// courier::websocket. Boost.Beast is included by the definitions only
/// (impl/websocket_server.hpp): under COURIER_SEPARATE_COMPILATION a program compiles them once
/// (courier/impl/websocket_src.hpp) and its other files never see Beast.

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

class WebSocketServer {
 public:
  /// Listens on `bind` (port 0: the system picks one, see local_address). Throws
  /// std::system_error: invalid_config (config out of range, unusable certificate or key
  /// file), invalid_address (none), address_in_use, socket_failed.
  explicit WebSocketServer(Address bind, WebSocketServerConfig config = {});
  WebSocketServer(WebSocketServer&&) noexcept;
  WebSocketServer& operator=(WebSocketServer&&) noexcept;
  ~WebSocketServer();

  /// Queues one binary message to the connection of `to`. Errors: message_too_large above
  /// max_message_bytes, not_connected when no connection of that address is open (it closed,
  /// or never existed), not_connected on a moved-from object.
  [[nodiscard]] std::error_code send(const Address& to, std::span<const std::byte> bytes) noexcept;
  /// Runs the writes that can proceed now.
  void flush() noexcept;
  /// Accepts, reads and fills up to `slots.size()` datagrams that have arrived; never blocks.
  [[nodiscard]] std::size_t receive(std::span<Datagram> slots) noexcept;
  /// Blocks until a datagram waits for receive(), one of `other_fds` is readable, or `max_wait`
  /// passes (WaitsForInput: what Server::wait / Client::wait and wait_for_input call).
  [[nodiscard]] bool wait_for_input(Duration max_wait, std::span<const int> other_fds = {}) noexcept;
  /// Runs what is ready, then closes connections past the handshake deadline or idle timeout.
  void update(TimePoint now) noexcept;
  /// The next peer whose connection ended since the last call (ReportsUnreachable).
  [[nodiscard]] std::optional<Address> take_unreachable() noexcept;
  /// Closes the connection of `peer` (closed_here); false when there is none.
  bool close(const Address& peer) noexcept;

  /// The listening address, link websocket (or websocket_secure with a certificate), with the
  /// real port when bound to port 0.
  [[nodiscard]] Address local_address() const noexcept;
  /// Open connections, upgraded or upgrading.
  [[nodiscard]] std::size_t connections() const noexcept;
  [[nodiscard]] const WebSocketStats& stats() const noexcept;
  [[nodiscard]] const WebSocketServerConfig& config() const noexcept;
  /// The link kind this transport carries, for Multi's routing.
  [[nodiscard]] bool carries(Address::Link link) const noexcept;

 private:
  /// Everything Asio holds a pointer to lives there, on the heap, so the transport moves freely.
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace courier

#if !defined(COURIER_SEPARATE_COMPILATION)
#include "courier/transport/websocket/impl/websocket_server.hpp"
#endif
