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
/// to connect and are skipped that way. No thread, no blocking call: every operation polls the
/// transport's own io_context. Not included by courier/courier.hpp: link courier::websocket.

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

class WebSocketClient {
 public:
  /// Throws std::system_error (invalid_config: config out of range, an unreadable ca_file). The
  /// TLS context is made here, so that a wss:// dial later cannot fail on configuration.
  explicit WebSocketClient(WebSocketClientConfig config = {})
      : state_(std::make_unique<State>(checked(std::move(config)))) {}

  WebSocketClient(WebSocketClient&&) noexcept = default;
  WebSocketClient& operator=(WebSocketClient&&) noexcept = default;
  ~WebSocketClient() {
    if (state_) state_->hub.close_all();
  }

  /// Queues one binary message to `to`, dialling it first when no connection is open.
  /// Errors: message_too_large, invalid_address (none), not_connected on a moved-from object.
  [[nodiscard]] std::error_code send(const Address& to, std::span<const std::byte> bytes) noexcept {
    if (!state_) return Error::not_connected;
    if (bytes.size() > state_->hub.limits().max_message_bytes) return Error::message_too_large;
    if (to.is_none() || to.port() == 0) return Error::invalid_address;
    try {
      detail::ws::Link* link = state_->hub.find(to);
      if (link == nullptr) link = state_->dial(to);
      link->write(bytes);
    } catch (const std::exception&) {
      return Error::send_queue_full;  // only std::bad_alloc: the message is not queued
    }
    return {};
  }

  void flush() noexcept {
    if (state_) state_->hub.poll();
  }

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

  /// The next address whose connection failed or ended since the last call.
  [[nodiscard]] std::optional<Address> take_unreachable() noexcept {
    return state_ ? state_->hub.take_unreachable() : std::nullopt;
  }

  /// Closes the connection to `server` (closed_here); false when there is none.
  bool close(const Address& server) noexcept {
    detail::ws::Link* link = state_ ? state_->hub.find(server) : nullptr;
    if (link == nullptr) return false;
    link->fail(WebSocketClose::closed_here);
    return true;
  }

  /// A client has no bound address of its own: the none address.
  [[nodiscard]] Address local_address() const noexcept { return {}; }
  [[nodiscard]] std::size_t connections() const noexcept { return state_ ? state_->hub.size() : 0; }
  /// True when the connection to `server` has completed its upgrade.
  [[nodiscard]] bool is_open(const Address& server) const noexcept {
    const detail::ws::Link* link = state_ ? state_->hub.find(server) : nullptr;
    return link != nullptr && link->open();
  }
  [[nodiscard]] const WebSocketStats& stats() const noexcept { return state_->hub.stats(); }
  [[nodiscard]] const WebSocketClientConfig& config() const noexcept { return state_->config; }

 private:
  struct State {
    explicit State(WebSocketClientConfig c)
        : hub(c.limits), config(std::move(c)), tls(detail::ws::client_tls(config)) {}

    /// A new connection to `to`, in the table, dialling.
    detail::ws::Link* dial(const Address& to) {
      namespace ws = detail::ws;
      const bool secure = config.secure || to.link() == Address::Link::websocket_secure;
      const std::string ip = to.with_link(Address::Link::datagram).to_string();
      const std::string host = config.server_name.empty() ? ip : config.server_name;
      if (!secure) return start(std::make_shared<ws::Connection<ws::PlainStream>>(hub, to, hub.io), to, host);
      auto c = std::make_shared<ws::Connection<ws::TlsStream>>(hub, to, hub.io, *tls);
      // The certificate must name server_name, else the IP dialled. SNI carries DNS names
      // only (RFC 6066 §3), so none is sent for an IP.
      std::string verify;
      if (!config.accept_self_signed)
        verify = config.server_name.empty() ? ws::to_endpoint(to).address().to_string() : config.server_name;
      c->name_server(config.server_name, verify);
      return start(c, to, host);
    }

    template <class C>
    detail::ws::Link* start(const std::shared_ptr<C>& c, const Address& to, const std::string& host) {
      hub.add(c);
      c->dial(detail::ws::to_endpoint(to), host, config.path);
      return c.get();
    }

    detail::ws::Hub hub;  // first: its io_context outlives everything below
    WebSocketClientConfig config;
    std::unique_ptr<detail::ws::net::ssl::context> tls;
  };

  static WebSocketClientConfig checked(WebSocketClientConfig config) {
    if (auto why = config.check(); !why.empty())
      throw std::system_error(make_error_code(Error::invalid_config), "WebSocketClientConfig: " + why);
    return config;
  }

  std::unique_ptr<State> state_;
};

}  // namespace courier
