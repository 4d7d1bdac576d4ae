#pragma once
/// \file
/// Connection<Stream>: one WebSocket connection (RFC 6455) over plain TCP or TLS, driven by
/// the hub's io_context. The server side accepts ([TLS handshake,] HTTP upgrade), the client
/// side dials (TCP connect, [TLS handshake,] upgrade); both then read binary messages in a
/// loop and write queued ones one at a time. Beast enforces the framing rules (masking by
/// direction, control frames, opcodes, close and ping/pong: pings are answered while reading)
/// and the message size limit; this class adds text-frame refusal, the bounded send queue,
/// and maps each way a connection can end to one counted WebSocketClose.

#include <cstddef>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/beast/core/error.hpp>

#include "courier/transport/websocket/detail/ws_endpoint.hpp"
#include "courier/transport/websocket/detail/ws_hub.hpp"

namespace courier::detail::ws {

/// Which way a failed operation was going: it decides the reason an error is counted as.
enum class Phase : std::uint8_t { connecting, upgrading, open };

/// The reason a Beast / Asio error ends a connection for.
[[nodiscard]] inline WebSocketClose reason_of(const beast::error_code& ec, Phase phase) noexcept {
  if (phase == Phase::connecting) return WebSocketClose::connect_failed;
  if (ec == websocket::error::message_too_big || ec == websocket::error::buffer_overflow)
    return WebSocketClose::message_too_large;
  if (ec == websocket::error::closed || ec == net::error::eof || ec == net::error::connection_reset ||
      ec == beast::http::error::end_of_stream || ec == net::ssl::error::stream_truncated)
    return WebSocketClose::peer_closed;
  if (phase == Phase::upgrading) return WebSocketClose::handshake_failed;
  if (ec == websocket::condition::protocol_violation) return WebSocketClose::protocol_error;
  return WebSocketClose::io_error;
}

inline constexpr bool is_tls(const PlainStream*) noexcept { return false; }
inline constexpr bool is_tls(const TlsStream*) noexcept { return true; }

template <class Stream>
class Connection final : public Link {
 public:
  /// `args` build the stream: an accepted socket (server) or the io_context (client), plus
  /// the TLS context for TlsStream.
  template <class... Args>
  Connection(Hub& hub, Address peer, Args&&... args)
      : Link(hub, peer, hub.now()), ws_(std::forward<Args>(args)...) {}

  /// Server side: [TLS handshake,] then the HTTP upgrade.
  void accept() {
    configure(beast::role_type::server);
    if constexpr (is_tls(static_cast<Stream*>(nullptr))) {
      ws_.next_layer().async_handshake(net::ssl::stream_base::server,
                                       [self = self()](const beast::error_code& ec) { self->on_tls(ec, true); });
    } else {
      upgrade_as_server();
    }
  }

  /// Client side: TCP connect to `to`, [TLS handshake naming `host`,] then the upgrade.
  void dial(const tcp::endpoint& to, std::string host, std::string target) {
    host_ = std::move(host);
    target_ = std::move(target);
    configure(beast::role_type::client);
    beast::get_lowest_layer(ws_).async_connect(to, [self = self()](const beast::error_code& ec) {
      if (ec) return self->fail(reason_of(ec, Phase::connecting));
      beast::error_code ignored;  // no Nagle delay for datagrams (see WebSocketServer::admit)
      beast::get_lowest_layer(self->ws_).set_option(tcp::no_delay(true), ignored);
      if constexpr (is_tls(static_cast<Stream*>(nullptr))) {
        self->ws_.next_layer().async_handshake(net::ssl::stream_base::client,
                                               [self](const beast::error_code& e) { self->on_tls(e, false); });
      } else {
        self->upgrade_as_client();
      }
    });
  }

  /// TLS client only: `sni` is sent as the server name (none when empty); the certificate
  /// must name `verify` (a DNS name or an IP; no name check when empty).
  template <class S = Stream>
    requires std::is_same_v<S, TlsStream>
  void name_server(const std::string& sni, const std::string& verify) {
    if (!sni.empty()) SSL_set_tlsext_host_name(ws_.next_layer().native_handle(), sni.c_str());
    if (!verify.empty()) ws_.next_layer().set_verify_callback(net::ssl::host_name_verification(verify));
  }

  void write(std::span<const std::byte> bytes) override {
    if (ended_) return hub_.send_failed();
    if (queue_.size() >= hub_.limits().max_send_queue) return fail(WebSocketClose::slow_reader);
    queue_.emplace_back(bytes.begin(), bytes.end());
    if (open_ && !writing_) write_next();
  }

  void fail(WebSocketClose why) override {
    if (ended_) return;
    ended_ = true;
    hub_.ended(*this, why);
    if (why == WebSocketClose::text_frame && open_ && !writing_) {
      // RFC 6455 §7.4.1: 1003, "a type of data it cannot accept". Beast's close timeout (set
      // at open) bounds a peer that never answers the close.
      ws_.async_close(websocket::close_code::unknown_data, [self = self()](const beast::error_code&) { self->shut(); });
      return;
    }
    shut();
  }

 private:
  [[nodiscard]] std::shared_ptr<Connection> self() { return std::static_pointer_cast<Connection>(shared_from_this()); }

  void configure(beast::role_type role) {
    ws_.binary(true);
    ws_.auto_fragment(false);
    ws_.read_message_max(hub_.limits().max_message_bytes);
    // The opening deadline is the hub's (it covers TLS too); Beast's own timer only bounds
    // the closing handshake. No idle pings: netcode's keep-alives keep the link busy.
    websocket::stream_base::timeout t = websocket::stream_base::timeout::suggested(role);
    t.handshake_timeout = std::chrono::seconds(2);
    t.idle_timeout = websocket::stream_base::none();
    t.keep_alive_pings = false;
    ws_.set_option(t);
  }

  void on_tls(const beast::error_code& ec, bool server) {
    if (ended_) return;
    if (ec) return fail(WebSocketClose::handshake_failed);
    if (server) upgrade_as_server();
    else upgrade_as_client();
  }

  void upgrade_as_server() {
    ws_.async_accept([self = self()](const beast::error_code& ec) { self->on_upgraded(ec); });
  }

  void upgrade_as_client() {
    ws_.async_handshake(host_, target_, [self = self()](const beast::error_code& ec) { self->on_upgraded(ec); });
  }

  void on_upgraded(const beast::error_code& ec) {
    if (ended_) return;
    if (ec) return fail(reason_of(ec, Phase::upgrading));
    open_ = true;
    last_activity_ = hub_.now();
    hub_.opened();
    read_next();
    if (!queue_.empty()) write_next();
  }

  void read_next() {
    ws_.async_read(buffer_, [self = self()](const beast::error_code& ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(const beast::error_code& ec) {
    if (ended_) return;
    if (ec) return fail(reason_of(ec, Phase::open));
    if (!ws_.got_binary()) return fail(WebSocketClose::text_frame);
    const auto data = buffer_.cdata();
    hub_.deliver(peer_, std::span<const std::byte>(static_cast<const std::byte*>(data.data()), data.size()));
    buffer_.consume(buffer_.size());
    last_activity_ = hub_.now();
    read_next();
  }

  void write_next() {
    writing_ = true;
    const std::vector<std::byte>& m = queue_.front();
    ws_.async_write(net::buffer(m.data(), m.size()),
                    [self = self()](const beast::error_code& ec, std::size_t n) { self->on_written(ec, n); });
  }

  void on_written(const beast::error_code& ec, std::size_t n) {
    writing_ = false;
    if (ended_) return queue_.clear();
    if (ec) {
      hub_.send_failed();
      return fail(reason_of(ec, Phase::open));
    }
    hub_.sent(n);
    queue_.pop_front();
    if (!queue_.empty()) write_next();
  }

  /// Closes the TCP socket: pending operations finish with operation_aborted at the next poll
  /// and release their hold on this object.
  void shut() noexcept {
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(ws_).close(ignored);
    if (!writing_) queue_.clear();  // else on_written does, once the write no longer uses it
  }

  Stream ws_;
  beast::flat_buffer buffer_;
  std::deque<std::vector<std::byte>> queue_;
  std::string host_;
  std::string target_;
  bool writing_ = false;
};

}  // namespace courier::detail::ws
