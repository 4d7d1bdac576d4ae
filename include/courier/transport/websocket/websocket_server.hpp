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
/// No thread of its own and no blocking call: every operation polls the transport's
/// io_context (Boost.Asio), running only what is ready. Limits (WebSocketServerConfig) bound
/// what a peer can make it hold; each connection that breaks one is closed and counted by
/// reason in stats().closes. Not included by courier/courier.hpp: link courier::websocket.

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <utility>

#include "courier/core/error.hpp"
#include "courier/core/time.hpp"
#include "courier/transport/address.hpp"
#include "courier/transport/datagram.hpp"
#include "courier/transport/websocket/detail/ws_connection.hpp"
#include "courier/transport/websocket/detail/ws_hub.hpp"
#include "courier/transport/websocket/detail/ws_tls.hpp"
#include "courier/transport/websocket/websocket_config.hpp"

namespace courier {

class WebSocketServer {
 public:
  /// Listens on `bind` (port 0: the system picks one, see local_address). Throws
  /// std::system_error: invalid_config (config out of range, unusable certificate or key
  /// file), invalid_address (none), address_in_use, socket_failed.
  explicit WebSocketServer(Address bind, WebSocketServerConfig config = {})
      : state_(std::make_unique<State>(bind, checked(std::move(config)))) {
    state_->listen();
  }

  WebSocketServer(WebSocketServer&&) noexcept = default;
  WebSocketServer& operator=(WebSocketServer&&) noexcept = default;
  ~WebSocketServer() {
    if (state_) state_->hub.close_all();
  }

  /// Queues one binary message to the connection of `to`. Errors: message_too_large above
  /// max_message_bytes, not_connected when no connection of that address is open (it closed,
  /// or never existed), not_connected on a moved-from object.
  [[nodiscard]] std::error_code send(const Address& to, std::span<const std::byte> bytes) noexcept {
    if (!state_) return Error::not_connected;
    if (bytes.size() > state_->hub.limits().max_message_bytes) return Error::message_too_large;
    detail::ws::Link* link = state_->hub.find(to);
    if (link == nullptr || link->ended()) return Error::not_connected;
    try {
      link->write(bytes);
    } catch (const std::exception&) {
      return Error::send_queue_full;  // only std::bad_alloc: the message is not queued
    }
    return {};
  }

  /// Runs the writes that can proceed now.
  void flush() noexcept {
    if (state_) state_->hub.poll();
  }

  /// Accepts, reads and fills up to `slots.size()` datagrams that have arrived; never blocks.
  [[nodiscard]] std::size_t receive(std::span<Datagram> slots) noexcept {
    if (!state_) return 0;
    state_->hub.poll();
    return state_->hub.take(slots);
  }

  /// Runs what is ready, then closes connections past the handshake deadline or idle timeout.
  void update(TimePoint now) noexcept {
    if (!state_) return;
    state_->hub.poll();
    state_->hub.update(now);
  }

  /// The next peer whose connection ended since the last call (ReportsUnreachable).
  [[nodiscard]] std::optional<Address> take_unreachable() noexcept {
    return state_ ? state_->hub.take_unreachable() : std::nullopt;
  }

  /// Closes the connection of `peer` (closed_here); false when there is none.
  bool close(const Address& peer) noexcept {
    detail::ws::Link* link = state_ ? state_->hub.find(peer) : nullptr;
    if (link == nullptr) return false;
    link->fail(WebSocketClose::closed_here);
    return true;
  }

  /// The listening address, link websocket (or websocket_secure with a certificate), with the
  /// real port when bound to port 0.
  [[nodiscard]] Address local_address() const noexcept { return state_ ? state_->local : Address{}; }
  /// Open connections, upgraded or upgrading.
  [[nodiscard]] std::size_t connections() const noexcept { return state_ ? state_->hub.size() : 0; }
  [[nodiscard]] const WebSocketStats& stats() const noexcept { return state_->hub.stats(); }
  [[nodiscard]] const WebSocketServerConfig& config() const noexcept { return state_->config; }
  /// The link kind this transport carries, for Multi's routing.
  [[nodiscard]] bool carries(Address::Link link) const noexcept { return state_ && link == state_->local.link(); }

 private:
  /// Everything Asio holds a pointer to lives here, on the heap, so the transport moves freely.
  struct State {
    State(const Address& bind, WebSocketServerConfig c)
        : hub(c.limits), config(std::move(c)), acceptor(hub.io) {
      if (config.secure()) tls = detail::ws::server_tls(config);
      open(bind);
    }

    void open(const Address& bind) {
      namespace ws = detail::ws;
      if (bind.is_none()) throw std::system_error(make_error_code(Error::invalid_address), "WebSocketServer: no bind address");
      const ws::tcp::endpoint at = ws::to_endpoint(bind);
      boost::system::error_code ec;
      acceptor.open(at.protocol(), ec);
      if (!ec) acceptor.set_option(ws::tcp::acceptor::reuse_address(true), ec);
      if (!ec) acceptor.bind(at, ec);
      if (ec == boost::asio::error::address_in_use)
        throw std::system_error(make_error_code(Error::address_in_use), "WebSocketServer: bind " + bind.to_string());
      if (!ec) acceptor.listen(ws::net::socket_base::max_listen_connections, ec);
      if (!ec) acceptor.non_blocking(true, ec);
      if (ec) throw std::system_error(make_error_code(Error::socket_failed), "WebSocketServer: listen on " + bind.to_string() + ": " + ec.message());
      local = ws::to_address(acceptor.local_endpoint(ec), tls ? Address::Link::websocket_secure : Address::Link::websocket);
    }

    void listen() {
      acceptor.async_accept([this](const boost::system::error_code& ec, detail::ws::tcp::socket socket) {
        if (ec == boost::asio::error::operation_aborted) return;
        if (!ec) admit(std::move(socket));
        listen();
      });
    }

    /// A new TCP connection: refused beyond max_connections, else it starts its upgrade.
    void admit(detail::ws::tcp::socket socket) {
      namespace ws = detail::ws;
      boost::system::error_code ec;
      const Address peer = ws::to_address(socket.remote_endpoint(ec), local.link());
      if (ec) return;
      if (hub.size() >= config.max_connections || hub.find(peer) != nullptr) {
        hub.stats().count(WebSocketClose::too_many_connections);
        socket.close(ec);
        return;
      }
      if (tls) start(std::make_shared<ws::Connection<ws::TlsStream>>(hub, peer, std::move(socket), *tls));
      else start(std::make_shared<ws::Connection<ws::PlainStream>>(hub, peer, std::move(socket)));
    }

    template <class C>
    void start(const std::shared_ptr<C>& connection) {
      hub.add(connection);
      connection->accept();
    }

    detail::ws::Hub hub;  // first: its io_context outlives everything below
    WebSocketServerConfig config;
    std::unique_ptr<detail::ws::net::ssl::context> tls;
    detail::ws::tcp::acceptor acceptor;
    Address local;
  };

  static WebSocketServerConfig checked(WebSocketServerConfig config) {
    if (auto why = config.check(); !why.empty())
      throw std::system_error(make_error_code(Error::invalid_config), "WebSocketServerConfig: " + why);
    return config;
  }

  std::unique_ptr<State> state_;
};

}  // namespace courier
