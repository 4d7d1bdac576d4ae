#pragma once
/// \file
/// RelayClient: a client's side of the relay, reached with `client.relay()` when the pack has
/// a Relay. Listen on virtual ports, connect to another client's virtual address and port,
/// accept or deny incoming connections in application code, send and receive bytes (or typed
/// messages, with Client::relay_send / relay_decode), close. Everything goes through the
/// server, which only ever tells a client its own and its peers' virtual addresses.
///
/// Its events (relay_event::*) come out of the client's poll_event like any other.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <system_error>
#include <unordered_map>
#include <variant>
#include <vector>

#include "courier/channel/connection.hpp"
#include "courier/core/config.hpp"
#include "courier/core/error.hpp"
#include "courier/relay/frames.hpp"
#include "courier/relay/virtual_address.hpp"

namespace courier {

namespace relay_event {
/// The server told this client its virtual address (on every connection; it does not change).
struct AddressAssigned {
  VirtualAddress address;
};
/// Another client wants to connect to a port this client listens on: accept() or deny().
struct ConnectionRequested {
  RelaySocketId socket = 0;
  VirtualAddress from;
  std::uint16_t port = 0;
};
/// A socket is open. `request` is connect()'s id on the initiating side, 0 on the accepting side.
struct Established {
  RelaySocketId socket = 0;
  VirtualAddress peer;
  std::uint16_t port = 0;
  std::uint32_t request = 0;
};
/// A connect() did not become a socket.
struct Failed {
  std::uint32_t request = 0;
  VirtualAddress target;
  std::uint16_t port = 0;
  RelayFailure reason = RelayFailure::target_offline;
};
/// Bytes from the peer of a socket.
struct Data {
  RelaySocketId socket = 0;
  std::vector<std::byte> bytes;
};
/// A socket (or an incoming request not yet answered) is gone.
struct Closed {
  RelaySocketId socket = 0;
  RelayCloseReason reason = RelayCloseReason::by_peer;
};
/// The server refused something this client did (e.g. data over its rate limit was dropped).
struct Refused {
  RelaySocketId socket = 0;
  RelayError error = RelayError::rate_limited;
};
}  // namespace relay_event

using RelayEvent = std::variant<relay_event::AddressAssigned, relay_event::ConnectionRequested,
                                relay_event::Established, relay_event::Failed, relay_event::Data,
                                relay_event::Closed, relay_event::Refused>;

/// What connect() returns: the request id its Established or Failed will carry.
struct RelayConnect {
  std::uint32_t request = 0;
  std::error_code error;
  [[nodiscard]] explicit operator bool() const noexcept { return !error; }
};

class RelayClient {
 public:
  RelayClient(Connection& connection, std::size_t channel) noexcept : conn_(&connection), channel_(channel) {}

  /// This client's virtual address (once the server has assigned it on this connection).
  [[nodiscard]] std::optional<VirtualAddress> address() const noexcept { return address_; }

  /// Incoming connections to `port` reach the application (ConnectionRequested); to other
  /// ports they are refused as port_not_listening without bothering it. Kept across reconnects.
  void listen(std::uint16_t port) {
    if (!listening(port)) ports_.push_back(port);
  }
  void unlisten(std::uint16_t port) { std::erase(ports_, port); }
  [[nodiscard]] bool listening(std::uint16_t port) const noexcept;

  /// Asks to open a socket to `target`'s `port`. Errors: not_connected, send_queue_full.
  RelayConnect connect(VirtualAddress target, std::uint16_t port);

  /// Accepts an incoming connection (ConnectionRequested). Errors: not_connected, invalid_config
  /// (API misuse: not an unanswered incoming socket of this client), send_queue_full.
  std::error_code accept(RelaySocketId socket) { return answer(socket, std::nullopt); }
  /// Denies an incoming connection; the initiator's connect fails with `denied`.
  std::error_code deny(RelaySocketId socket) { return answer(socket, RelayFailure::denied); }

  /// Sends bytes (1 .. 1000) on an open socket. Errors: not_connected (not an open socket of
  /// this client), message_too_large, send_queue_full.
  std::error_code send(RelaySocketId socket, std::span<const std::byte> bytes);

  /// Closes a socket (or gives up a pending incoming one, which denies it). The peer sees
  /// Closed{by_peer}, this side Closed{by_self}. Errors: not_connected (not a socket of this
  /// client), send_queue_full.
  std::error_code close(RelaySocketId socket);

  [[nodiscard]] std::size_t open_sockets() const noexcept { return sockets_.size(); }

  // ---- driven by the Client -------------------------------------------------------------

  /// The client's typed layer is up (true) or down (false).
  void set_up(bool up) noexcept { up_ = up; }

  /// One frame from the server; false when it breaks the relay protocol.
  bool on_frame(std::uint32_t id, std::span<const std::byte> bytes);

  /// The connection to the server ended: every socket and pending connect ends with it.
  void on_connection_lost();

  [[nodiscard]] std::optional<RelayEvent> take_event();
  [[nodiscard]] bool has_events() const noexcept { return !events_.empty(); }

 private:
  struct Target {
    VirtualAddress address;
    std::uint16_t port = 0;
  };
  struct Socket {
    VirtualAddress peer;
    std::uint16_t port = 0;
    bool open = false;  // false: incoming, not answered yet
  };

  [[nodiscard]] bool up() const noexcept { return up_ && address_.has_value(); }

  std::error_code send(detail::RelayFrame f, std::span<const std::byte> bytes) {
    return conn_->send(channel_, static_cast<std::uint32_t>(f), bytes).error;
  }

  std::error_code answer(RelaySocketId socket, std::optional<RelayFailure> refusal);

  void on_incoming(RelaySocketId socket, std::span<const std::byte> bytes);

  bool on_established(std::uint32_t request, std::span<const std::byte> bytes);

  bool on_failed(std::uint32_t request, std::span<const std::byte> bytes);

  Connection* conn_;
  std::size_t channel_;
  bool up_ = false;
  std::optional<VirtualAddress> address_;
  std::vector<std::uint16_t> ports_;
  std::unordered_map<std::uint32_t, Target> connects_;
  std::unordered_map<RelaySocketId, Socket> sockets_;
  std::deque<RelayEvent> events_;
  std::uint32_t next_request_ = 1;
};

}  // namespace courier

#if !defined(COURIER_SEPARATE_COMPILATION)
#include "courier/relay/impl/relay_client.hpp"
#endif
