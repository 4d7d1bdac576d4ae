#pragma once
/// \file
/// What the netcode Client and Server report to the application: connects, disconnects with
/// their reason (an enum, never a string), and the server's address-mismatch warning. Events
/// are queued during `update` and drained with `poll_event()`.

#include <cstdint>

#include "courier/core/error.hpp"
#include "courier/netcode/constants.hpp"
#include "courier/transport/address.hpp"

namespace courier::netcode {

/// Why a connection ended or never began.
enum class DisconnectReason : std::uint8_t {
  none,
  disconnected_by_application,    ///< this side's application called disconnect()
  disconnected_by_peer,           ///< the peer sent disconnect packets
  timed_out,                      ///< nothing received within the token's timeout
  server_stopped,                 ///< the server was stopped or destroyed
  connection_denied,              ///< client: every server denied (full)
  connect_token_expired,          ///< client: the token expired before a server answered
  invalid_connect_token,          ///< client: the token does not parse
  connection_request_timed_out,   ///< client: no challenge from any server
  connection_response_timed_out,  ///< client: no keep-alive after the response
};

/// A short stable name for logs.
[[nodiscard]] constexpr const char* describe(DisconnectReason r) noexcept {
  switch (r) {
    case DisconnectReason::none: return "none";
    case DisconnectReason::disconnected_by_application: return "disconnected by application";
    case DisconnectReason::disconnected_by_peer: return "disconnected by peer";
    case DisconnectReason::timed_out: return "timed out";
    case DisconnectReason::server_stopped: return "server stopped";
    case DisconnectReason::connection_denied: return "connection denied";
    case DisconnectReason::connect_token_expired: return "connect token expired";
    case DisconnectReason::invalid_connect_token: return "invalid connect token";
    case DisconnectReason::connection_request_timed_out:
      return "connection request timed out: no answer from any server in the token (down or unreachable, or it "
             "runs another protocol (pack or version) or private key than the token was made for: such requests "
             "are dropped unanswered, see the server's log)";
    case DisconnectReason::connection_response_timed_out: return "connection response timed out";
  }
  return "unknown";
}

/// The courier::Error of a reason, for code that reports errors uniformly.
[[nodiscard]] constexpr Error to_error(DisconnectReason r) noexcept {
  switch (r) {
    case DisconnectReason::none: return Error::ok;
    case DisconnectReason::disconnected_by_application: return Error::disconnected_by_application;
    case DisconnectReason::disconnected_by_peer: return Error::closed_by_peer;
    case DisconnectReason::timed_out: return Error::connection_timed_out;
    case DisconnectReason::server_stopped: return Error::closed_by_peer;
    case DisconnectReason::connection_denied: return Error::connection_denied;
    case DisconnectReason::connect_token_expired: return Error::connect_token_expired;
    case DisconnectReason::invalid_connect_token: return Error::invalid_connect_token;
    case DisconnectReason::connection_request_timed_out:
    case DisconnectReason::connection_response_timed_out: return Error::connection_timed_out;
  }
  return Error::ok;
}

/// The reason a client error state stands for.
[[nodiscard]] constexpr DisconnectReason reason_of(ClientState s) noexcept {
  switch (s) {
    case ClientState::connect_token_expired: return DisconnectReason::connect_token_expired;
    case ClientState::invalid_connect_token: return DisconnectReason::invalid_connect_token;
    case ClientState::connection_timed_out: return DisconnectReason::timed_out;
    case ClientState::connection_response_timed_out: return DisconnectReason::connection_response_timed_out;
    case ClientState::connection_request_timed_out: return DisconnectReason::connection_request_timed_out;
    case ClientState::connection_denied: return DisconnectReason::connection_denied;
    default: return DisconnectReason::none;
  }
}

/// Client events.
enum class ClientEventType : std::uint8_t {
  connected,       ///< the server accepted us (state connected)
  disconnected,    ///< a connection that was up ended
  connect_failed,  ///< an attempt ended in an error state before connecting
};

/// One client event.
struct NetcodeClientEvent {
  ClientEventType type = ClientEventType::connected;
  DisconnectReason reason = DisconnectReason::none;
  ClientState state = ClientState::disconnected;  ///< the state after the event
  Address server;                                 ///< the server concerned
};

/// Server events.
enum class ServerEventType : std::uint8_t {
  client_connected,
  client_disconnected,
  /// A valid connect token lists none of this server's public addresses: the server is
  /// configured with another address than the backend writes into tokens. Reported on the
  /// first occurrence and whenever the token's address changes; counted always.
  address_mismatch,
};

/// One server event.
struct NetcodeServerEvent {
  ServerEventType type = ServerEventType::client_connected;
  std::uint32_t client_index = 0;
  std::uint64_t client_id = 0;
  Address address;                ///< the client's address
  DisconnectReason reason = DisconnectReason::none;
  Address token_address;          ///< address_mismatch: the first address the token lists
  std::uint64_t connection = 0;   ///< unique per connection; matches ReceivedPayload::connection
};

}  // namespace courier::netcode
