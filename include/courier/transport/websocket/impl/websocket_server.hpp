#pragma once
/// \file
/// WebSocketServer's definitions and its State (the io_context, the acceptor, the TLS context,
/// the connections): inline in header-only mode, compiled once by courier/impl/websocket_src.hpp
/// under COURIER_SEPARATE_COMPILATION (core/config.hpp). The one place that includes Boost.Beast
/// for the server.

#include <array>
#include <optional>
#include <string>
#include <utility>

#include "courier/core/error.hpp"
#include "courier/core/source_rate_limiter.hpp"
#include "courier/transport/websocket/detail/ws_connection.hpp"
#include "courier/transport/websocket/detail/ws_hub.hpp"
#include "courier/transport/websocket/detail/ws_tls.hpp"
#include "courier/transport/websocket/detail/ws_wait.hpp"
#include "courier/transport/websocket/websocket_server.hpp"

namespace courier {

struct WebSocketServer::State {
  State(const Address& bind, WebSocketServerConfig c)
      : hub(c.limits), config(std::move(c)),
        source_rate(config.source_buckets, config.connects_per_second_per_source, config.connect_burst_per_source),
        acceptor(hub.io) {
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

  /// A new TCP connection: refused when a limit says so (refusal()), else it starts its upgrade.
  void admit(detail::ws::tcp::socket socket) {
    namespace ws = detail::ws;
    boost::system::error_code ec;
    const Address peer = ws::to_address(socket.remote_endpoint(ec), local.link());
    if (ec) return;
    if (const auto why = refusal(peer)) {
      hub.stats().count(*why);
      socket.close(ec);
      return;
    }
    // Datagrams must leave when sent: without it Nagle holds a small message back until the
    // previous one is acked, and with the peer's delayed ACK a round trip takes ~40 ms more.
    socket.set_option(ws::tcp::no_delay(true), ec);
    if (tls) start(std::make_shared<ws::Connection<ws::TlsStream>>(hub, peer, std::move(socket), *tls));
    else start(std::make_shared<ws::Connection<ws::PlainStream>>(hub, peer, std::move(socket)));
  }

  /// Why a connection from `peer` is refused at accept, before any TLS or HTTP work: the
  /// server is full, its source holds its share, or its source connects too fast (charged
  /// only when the rest allow it, so that a refused flood does not drain a source's budget).
  std::optional<WebSocketClose> refusal(const Address& peer) noexcept {
    if (hub.size() >= config.max_connections || hub.find(peer) != nullptr) return WebSocketClose::too_many_connections;
    if (config.max_connections_per_source != 0 && hub.from_source(peer) >= config.max_connections_per_source)
      return WebSocketClose::too_many_from_source;
    if (!source_rate.take(source_key(peer), hub.now())) return WebSocketClose::source_rate;
    return std::nullopt;
  }
  static std::array<unsigned char, 17> source_key(const Address& peer) noexcept {
    std::array<unsigned char, 17> k{static_cast<unsigned char>(peer.family())};
    for (std::size_t i = 0; i < 16; ++i) k[1 + i] = peer.bytes()[i];
    return k;
  }

  template <class C>
  void start(const std::shared_ptr<C>& connection) {
    hub.add(connection);
    connection->accept();
  }

  static WebSocketServerConfig checked(WebSocketServerConfig config) {
    if (auto why = config.check(); !why.empty())
      throw std::system_error(make_error_code(Error::invalid_config), "WebSocketServerConfig: " + why);
    return config;
  }

  detail::ws::Hub hub;  // first: its io_context outlives everything below
  WebSocketServerConfig config;
  detail::SourceRateLimiter source_rate;
  std::unique_ptr<detail::ws::net::ssl::context> tls;
  detail::ws::tcp::acceptor acceptor;
  Address local;
};

COURIER_DECL WebSocketServer::WebSocketServer(Address bind, WebSocketServerConfig config)
    : state_(std::make_unique<State>(bind, State::checked(std::move(config)))) {
  state_->listen();
}

COURIER_DECL WebSocketServer::WebSocketServer(WebSocketServer&&) noexcept = default;
COURIER_DECL WebSocketServer& WebSocketServer::operator=(WebSocketServer&& other) noexcept {
  if (this != &other) {
    if (state_) state_->hub.close_all();
    state_ = std::move(other.state_);
  }
  return *this;
}
COURIER_DECL WebSocketServer::~WebSocketServer() {
  if (state_) state_->hub.close_all();
}

COURIER_DECL std::error_code WebSocketServer::send(const Address& to, std::span<const std::byte> bytes) noexcept {
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

COURIER_DECL void WebSocketServer::flush() noexcept {
  if (state_) state_->hub.poll();
}

COURIER_DECL std::size_t WebSocketServer::receive(std::span<Datagram> slots) noexcept {
  if (!state_) return 0;
  state_->hub.poll();
  return state_->hub.take(slots);
}

COURIER_DECL bool WebSocketServer::wait_for_input(Duration max_wait, std::span<const int> other_fds) noexcept {
  return state_ ? detail::ws::wait_for_input(state_->hub, max_wait, other_fds) : false;
}

COURIER_DECL void WebSocketServer::update(TimePoint now) noexcept {
  if (!state_) return;
  state_->hub.poll();
  state_->hub.update(now);
}

COURIER_DECL std::optional<Address> WebSocketServer::take_unreachable() noexcept {
  return state_ ? state_->hub.take_unreachable() : std::nullopt;
}

COURIER_DECL bool WebSocketServer::close(const Address& peer) noexcept {
  detail::ws::Link* link = state_ ? state_->hub.find(peer) : nullptr;
  if (link == nullptr) return false;
  link->fail(WebSocketClose::closed_here);
  return true;
}

COURIER_DECL Address WebSocketServer::local_address() const noexcept { return state_ ? state_->local : Address{}; }
COURIER_DECL std::size_t WebSocketServer::connections() const noexcept { return state_ ? state_->hub.size() : 0; }
COURIER_DECL const WebSocketStats& WebSocketServer::stats() const noexcept { return state_->hub.stats(); }
COURIER_DECL const WebSocketServerConfig& WebSocketServer::config() const noexcept { return state_->config; }
COURIER_DECL bool WebSocketServer::carries(Address::Link link) const noexcept {
  return state_ && link == state_->local.link();
}

}  // namespace courier
