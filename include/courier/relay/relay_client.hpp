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
  [[nodiscard]] bool listening(std::uint16_t port) const noexcept {
    for (const std::uint16_t p : ports_)
      if (p == port) return true;
    return false;
  }

  /// Asks to open a socket to `target`'s `port`. Errors: not_connected, send_queue_full.
  RelayConnect connect(VirtualAddress target, std::uint16_t port) {
    if (!up()) return RelayConnect{0, Error::not_connected};
    const std::uint32_t request = next_request_;
    next_request_ = next_request_ == 0xFFFFFFFFu ? 1 : next_request_ + 1;
    detail::RelayFrameWriter w;
    if (const auto ec = send(detail::RelayFrame::connect, w.u32(request).u32(target.value).u16(port).span()))
      return RelayConnect{0, ec};
    connects_[request] = Target{target, port};
    return RelayConnect{request, {}};
  }

  /// Accepts an incoming connection (ConnectionRequested). Errors: not_connected, invalid_config
  /// (API misuse: not an unanswered incoming socket of this client), send_queue_full.
  std::error_code accept(RelaySocketId socket) { return answer(socket, std::nullopt); }
  /// Denies an incoming connection; the initiator's connect fails with `denied`.
  std::error_code deny(RelaySocketId socket) { return answer(socket, RelayFailure::denied); }

  /// Sends bytes (1 .. 1000) on an open socket. Errors: not_connected (not an open socket of
  /// this client), message_too_large, send_queue_full.
  std::error_code send(RelaySocketId socket, std::span<const std::byte> bytes) {
    const auto it = sockets_.find(socket);
    if (!up() || it == sockets_.end() || !it->second.open) return Error::not_connected;
    if (bytes.empty() || bytes.size() > detail::relay_max_data_bytes) return Error::message_too_large;
    std::array<std::byte, detail::relay_max_frame_bytes> frame{};
    detail::put_le(frame.data(), socket);
    std::copy(bytes.begin(), bytes.end(), frame.begin() + 4);
    return send(detail::RelayFrame::data, std::span<const std::byte>(frame.data(), 4 + bytes.size()));
  }

  /// Closes a socket (or gives up a pending incoming one, which denies it). The peer sees
  /// Closed{by_peer}, this side Closed{by_self}. Errors: not_connected (not a socket of this
  /// client), send_queue_full.
  std::error_code close(RelaySocketId socket) {
    if (!up() || !sockets_.contains(socket)) return Error::not_connected;
    detail::RelayFrameWriter w;
    if (const auto ec = send(detail::RelayFrame::close, w.u32(socket).span())) return ec;
    sockets_.erase(socket);
    events_.emplace_back(relay_event::Closed{socket, RelayCloseReason::by_self});
    return {};
  }

  [[nodiscard]] std::size_t open_sockets() const noexcept { return sockets_.size(); }

  // ---- driven by the Client -------------------------------------------------------------

  /// The client's typed layer is up (true) or down (false).
  void set_up(bool up) noexcept { up_ = up; }

  /// One frame from the server; false when it breaks the relay protocol.
  bool on_frame(std::uint32_t id, std::span<const std::byte> bytes) {
    if (!detail::relay_frame_valid(id, bytes)) return false;
    const auto frame = static_cast<detail::RelayFrame>(id);
    if (detail::client_to_server(frame)) return false;
    const auto first = detail::get_le<std::uint32_t>(bytes.data());
    switch (frame) {
      case detail::RelayFrame::assigned:
        address_ = VirtualAddress{first};
        events_.emplace_back(relay_event::AddressAssigned{*address_});
        return true;
      case detail::RelayFrame::incoming: on_incoming(first, bytes); return true;
      case detail::RelayFrame::established: return on_established(first, bytes);
      case detail::RelayFrame::failed: return on_failed(first, bytes);
      case detail::RelayFrame::data_in:
        if (!sockets_.contains(first) || !sockets_[first].open) return true;  // closed here meanwhile
        events_.emplace_back(relay_event::Data{first, std::vector<std::byte>(bytes.begin() + 4, bytes.end())});
        return true;
      case detail::RelayFrame::closed:
        if (sockets_.erase(first) != 0)
          events_.emplace_back(relay_event::Closed{first, static_cast<RelayCloseReason>(std::to_integer<std::uint8_t>(bytes[4]))});
        return true;
      case detail::RelayFrame::error:
        events_.emplace_back(relay_event::Refused{detail::get_le<std::uint32_t>(bytes.data() + 1),
                                                static_cast<RelayError>(std::to_integer<std::uint8_t>(bytes[0]))});
        return true;
      default: return false;
    }
  }

  /// The connection to the server ended: every socket and pending connect ends with it.
  void on_connection_lost() {
    for (const auto& [id, s] : sockets_) events_.emplace_back(relay_event::Closed{id, RelayCloseReason::peer_disconnected});
    for (const auto& [request, t] : connects_)
      events_.emplace_back(relay_event::Failed{request, t.address, t.port, RelayFailure::target_offline});
    sockets_.clear();
    connects_.clear();
    address_.reset();
    up_ = false;
  }

  [[nodiscard]] std::optional<RelayEvent> take_event() {
    if (events_.empty()) return std::nullopt;
    RelayEvent e = std::move(events_.front());
    events_.pop_front();
    return e;
  }
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

  std::error_code answer(RelaySocketId socket, std::optional<RelayFailure> refusal) {
    const auto it = sockets_.find(socket);
    if (!up()) return Error::not_connected;
    if (it == sockets_.end() || it->second.open) return Error::invalid_config;
    detail::RelayFrameWriter w;
    w.u32(socket);
    if (refusal) w.u8(static_cast<std::uint8_t>(*refusal));
    if (const auto ec = send(refusal ? detail::RelayFrame::refuse : detail::RelayFrame::accept, w.span())) return ec;
    if (refusal) {
      sockets_.erase(it);
      return {};
    }
    it->second.open = true;
    events_.emplace_back(relay_event::Established{socket, it->second.peer, it->second.port, 0});
    return {};
  }

  void on_incoming(RelaySocketId socket, std::span<const std::byte> bytes) {
    const VirtualAddress from{detail::get_le<std::uint32_t>(bytes.data() + 4)};
    const auto port = detail::get_le<std::uint16_t>(bytes.data() + 8);
    if (!listening(port)) {
      detail::RelayFrameWriter w;
      (void)send(detail::RelayFrame::refuse, w.u32(socket).u8(static_cast<std::uint8_t>(RelayFailure::port_not_listening)).span());
      return;
    }
    sockets_[socket] = Socket{from, port, false};
    events_.emplace_back(relay_event::ConnectionRequested{socket, from, port});
  }

  bool on_established(std::uint32_t request, std::span<const std::byte> bytes) {
    const auto it = connects_.find(request);
    if (it == connects_.end()) return false;  // the server answers only what was asked
    const RelaySocketId socket = detail::get_le<std::uint32_t>(bytes.data() + 4);
    const VirtualAddress peer{detail::get_le<std::uint32_t>(bytes.data() + 8)};
    sockets_[socket] = Socket{peer, it->second.port, true};
    events_.emplace_back(relay_event::Established{socket, peer, it->second.port, request});
    connects_.erase(it);
    return true;
  }

  bool on_failed(std::uint32_t request, std::span<const std::byte> bytes) {
    const auto it = connects_.find(request);
    if (it == connects_.end()) return false;
    events_.emplace_back(relay_event::Failed{request, it->second.address, it->second.port,
                                             static_cast<RelayFailure>(std::to_integer<std::uint8_t>(bytes[4]))});
    connects_.erase(it);
    return true;
  }

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
