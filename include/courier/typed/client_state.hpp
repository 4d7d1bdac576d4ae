#pragma once
/// \file
/// ClientState: where a typed Client stands (Client::state()).

#include <cstdint>

namespace courier {

/// Where a typed client stands.
enum class ClientState : std::uint8_t {
  disconnected,  ///< idle, or ended (see the last Disconnected / ClosedByServer / IsDead)
  connecting,    ///< netcode handshake with the servers of the token
  handshaking,   ///< netcode connected; waiting for the server's hello
  connected,     ///< messages and requests flow
  reconnecting,  ///< the connection was lost; retrying with the reconnect token
};

}  // namespace courier
