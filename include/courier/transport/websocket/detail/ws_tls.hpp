#pragma once
/// \file
/// The OpenSSL contexts of the WebSocket transports (wss://): the server's, loaded from its
/// certificate and key files, and the client's, which verifies the server by default.

#include <memory>
#include <string>
#include <system_error>

#include "courier/core/error.hpp"
#include "courier/transport/websocket/detail/ws_endpoint.hpp"
#include "courier/transport/websocket/websocket_config.hpp"

namespace courier::detail::ws {

[[noreturn]] inline void throw_tls_setup(const std::string& what, const boost::system::error_code& ec) {
  throw std::system_error(make_error_code(Error::invalid_config), what + ": " + ec.message());
}

/// The server's TLS context: TLS 1.2 or later, the certificate chain and key from PEM files.
/// Throws std::system_error (invalid_config) naming the file that could not be used.
[[nodiscard]] inline std::unique_ptr<net::ssl::context> server_tls(const WebSocketServerConfig& config) {
  auto ctx = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
  ctx->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                   net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1);
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(config.certificate_file, ec);
  if (ec) throw_tls_setup("WebSocketServerConfig::certificate_file " + config.certificate_file, ec);
  ctx->use_private_key_file(config.private_key_file, net::ssl::context::pem, ec);
  if (ec) throw_tls_setup("WebSocketServerConfig::private_key_file " + config.private_key_file, ec);
  return ctx;
}

/// The client's TLS context: verifies the peer against the system's trust store and
/// `ca_file`, unless accept_self_signed. Throws std::system_error (invalid_config).
[[nodiscard]] inline std::unique_ptr<net::ssl::context> client_tls(const WebSocketClientConfig& config) {
  auto ctx = std::make_unique<net::ssl::context>(net::ssl::context::tls_client);
  ctx->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                   net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1);
  if (config.accept_self_signed) {
    ctx->set_verify_mode(net::ssl::verify_none);
    return ctx;
  }
  boost::system::error_code ec;
  ctx->set_verify_mode(net::ssl::verify_peer, ec);
  ctx->set_default_verify_paths(ec);
  if (ec) throw_tls_setup("the system's certificate store", ec);
  if (!config.ca_file.empty()) {
    ctx->load_verify_file(config.ca_file, ec);
    if (ec) throw_tls_setup("WebSocketClientConfig::ca_file " + config.ca_file, ec);
  }
  return ctx;
}

}  // namespace courier::detail::ws
