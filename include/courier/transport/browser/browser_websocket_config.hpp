#pragma once
/// \file
/// Settings of BrowserWebSocket, the client transport of a courier program compiled to
/// WebAssembly. The limits and the counters are the native WebSocket transports' own
/// (websocket_config.hpp: WebSocketLimits, WebSocketStats, WebSocketClose), so that a browser
/// client and a native WebSocketClient report the same way. Includes nothing from Emscripten:
/// native code can configure or report a browser client's transport.

#include <string>

#include "courier/transport/websocket/websocket_config.hpp"

namespace courier {

/// BrowserWebSocket settings, fixed when it is made.
///
/// The browser does the TLS of wss:// itself, against its own trust store: there is no
/// ca_file or accept_self_signed here. A page served over https:// may only open wss://
/// (browsers refuse "mixed content"); a page on http://127.0.0.1 or http://localhost may open
/// either.
struct BrowserWebSocketConfig {
  /// max_message_bytes, max_send_queue (messages waiting while the connection opens),
  /// receive_queue, idle_timeout and handshake_deadline, as for WebSocketClient.
  WebSocketLimits limits;
  /// true: wss:// to every address; false: ws://, except to addresses whose link is
  /// websocket_secure (a `wss://` entry of the token).
  bool secure = false;
  /// Request path of the upgrade (the native server serves any path).
  std::string path = "/";

  /// Empty when valid, else the name of the bad field and why.
  [[nodiscard]] std::string check() const {
    if (path.empty() || path.front() != '/') return "path must start with '/'";
    return limits.check();
  }
};

}  // namespace courier
