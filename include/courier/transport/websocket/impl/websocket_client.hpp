#pragma once
/// \file
/// WebSocketClient's definitions and its State (the io_context, the TLS context, the
/// connections): inline in header-only mode, compiled once by courier/impl/websocket_src.hpp
/// under COURIER_SEPARATE_COMPILATION (core/config.hpp). The one place that includes Boost.Beast
/// for the client.

#include <string>
#include <utility>

#include "courier/core/error.hpp"
#include "courier/transport/websocket/detail/ws_connection.hpp"
#include "courier/transport/websocket/detail/ws_hub.hpp"
#include "courier/transport/websocket/detail/ws_tls.hpp"
#include "courier/transport/websocket/detail/ws_wait.hpp"
#include "courier/transport/websocket/websocket_client.hpp"

namespace courier {

struct WebSocketClient::State {
  explicit State(WebSocketClientConfig c) : hub(c.limits), config(std::move(c)), tls(detail::ws::client_tls(config)) {}

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

  static WebSocketClientConfig checked(WebSocketClientConfig config) {
    if (auto why = config.check(); !why.empty())
      throw std::system_error(make_error_code(Error::invalid_config), "WebSocketClientConfig: " + why);
    return config;
  }

  detail::ws::Hub hub;  // first: its io_context outlives everything below
  WebSocketClientConfig config;
  std::unique_ptr<detail::ws::net::ssl::context> tls;
};

COURIER_DECL WebSocketClient::WebSocketClient(WebSocketClientConfig config)
    : state_(std::make_unique<State>(State::checked(std::move(config)))) {}

COURIER_DECL WebSocketClient::WebSocketClient(WebSocketClient&&) noexcept = default;
COURIER_DECL WebSocketClient& WebSocketClient::operator=(WebSocketClient&& other) noexcept {
  if (this != &other) {
    if (state_) state_->hub.close_all();
    state_ = std::move(other.state_);
  }
  return *this;
}
COURIER_DECL WebSocketClient::~WebSocketClient() {
  if (state_) state_->hub.close_all();
}

COURIER_DECL std::error_code WebSocketClient::send(const Address& to, std::span<const std::byte> bytes) noexcept {
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

COURIER_DECL void WebSocketClient::flush() noexcept {
  if (state_) state_->hub.poll();
}

COURIER_DECL std::size_t WebSocketClient::receive(std::span<Datagram> slots) noexcept {
  if (!state_) return 0;
  state_->hub.poll();
  return state_->hub.take(slots);
}

COURIER_DECL bool WebSocketClient::wait_for_input(Duration max_wait, std::span<const int> other_fds) noexcept {
  return state_ ? detail::ws::wait_for_input(state_->hub, max_wait, other_fds) : false;
}

COURIER_DECL void WebSocketClient::update(TimePoint now) noexcept {
  if (!state_) return;
  state_->hub.poll();
  state_->hub.update(now);
}

COURIER_DECL std::optional<Address> WebSocketClient::take_unreachable() noexcept {
  return state_ ? state_->hub.take_unreachable() : std::nullopt;
}

COURIER_DECL bool WebSocketClient::close(const Address& server) noexcept {
  detail::ws::Link* link = state_ ? state_->hub.find(server) : nullptr;
  if (link == nullptr) return false;
  link->fail(WebSocketClose::closed_here);
  return true;
}

COURIER_DECL std::size_t WebSocketClient::connections() const noexcept { return state_ ? state_->hub.size() : 0; }
COURIER_DECL bool WebSocketClient::is_open(const Address& server) const noexcept {
  const detail::ws::Link* link = state_ ? state_->hub.find(server) : nullptr;
  return link != nullptr && link->open();
}
COURIER_DECL const WebSocketStats& WebSocketClient::stats() const noexcept { return state_->hub.stats(); }
COURIER_DECL const WebSocketClientConfig& WebSocketClient::config() const noexcept { return state_->config; }

}  // namespace courier
