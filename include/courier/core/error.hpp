#pragma once
/// \file
/// courier's error codes, one `std::error_category`, grouped by where the failure came from
/// (as GameNetworkingSockets partitions its end reasons): the local machine or API use, the
/// remote peer, or the application's own decision.

#include <cstdint>
#include <string>
#include <system_error>

#include "courier/core/config.hpp"

namespace courier {

/// Who caused an error.
enum class ErrorOrigin : std::uint8_t { none, local, remote, application };

/// Every error courier reports. Values are grouped by origin in blocks of 100 so that a code
/// stays stable when a group grows.
enum class Error : int {
  ok = 0,

  // ---- local: this process, its configuration, or its API use --------------------------
  invalid_address = 100,    ///< an address string or record that does not parse
  address_in_use,           ///< bind failed: the port is taken
  socket_failed,            ///< the operating system refused a socket call
  invalid_config,           ///< a configuration value out of its documented range
  not_connected,            ///< the call needs a connection and there is none
  message_too_large,        ///< a message or datagram exceeds its limit (channel, transport)
  send_queue_full,          ///< backpressure: the channel's send queue is full
  buffer_too_small,         ///< an output buffer cannot hold the encoding
  crypto_unavailable,       ///< the crypto policy cannot run on this CPU / library
  crypto_failed,            ///< a seal or open failed
  invalid_connect_token,    ///< the connect token does not parse
  connect_token_expired,    ///< the connect token expired before the connection completed
  unknown_peer,             ///< the datagram's destination is not reachable on this transport
  timed_out,                ///< a local deadline passed
  invalid_key,              ///< a key that is not 32 bytes of hex, or the all-zero (unset) key
  congestion,               ///< an unreliable message waited in its send queue past its
                            ///< channel's max_send_delay (the send rate could not take it)

  // ---- remote: something the peer sent or failed to send --------------------------------
  truncated = 200,          ///< the input ended before the value did
  trailing_bytes,           ///< the input holds bytes after the last value
  value_out_of_range,       ///< a decoded value lies outside its declared bound
  length_out_of_range,      ///< a decoded length exceeds its declared bound
  malformed,                ///< the bytes do not follow the format
  protocol_violation,       ///< an authenticated peer broke the protocol
  connection_denied,        ///< the server refused the connection (e.g. full)
  connection_timed_out,     ///< the peer stopped answering
  closed_by_peer,           ///< the peer closed the connection
  protocol_mismatch,        ///< the peer speaks a different protocol / pack

  // ---- application: a decision of the program using courier ----------------------------
  disconnected_by_application = 300,  ///< this side's application chose to disconnect
  rejected_by_application,            ///< the application refused a request or connection
};

[[nodiscard]] constexpr ErrorOrigin origin_of(Error e) noexcept {
  const int v = static_cast<int>(e);
  if (v == 0) return ErrorOrigin::none;
  if (v < 200) return ErrorOrigin::local;
  if (v < 300) return ErrorOrigin::remote;
  return ErrorOrigin::application;
}

/// A short, stable, human-readable name for each error.
[[nodiscard]] constexpr const char* describe(Error e) noexcept {
  switch (e) {
    case Error::ok: return "ok";
    case Error::invalid_address: return "invalid address";
    case Error::address_in_use: return "address already in use";
    case Error::socket_failed: return "socket call failed";
    case Error::invalid_config: return "invalid configuration";
    case Error::not_connected: return "not connected";
    case Error::message_too_large: return "message or datagram too large for its limit";
    case Error::send_queue_full: return "send queue full";
    case Error::buffer_too_small: return "output buffer too small";
    case Error::crypto_unavailable: return "crypto policy unavailable on this machine";
    case Error::crypto_failed: return "crypto operation failed";
    case Error::invalid_connect_token: return "invalid connect token";
    case Error::connect_token_expired: return "connect token expired";
    case Error::unknown_peer: return "unknown peer";
    case Error::timed_out: return "timed out";
    case Error::invalid_key: return "invalid key (not 64 hex digits, or the all-zero key of an unset field)";
    case Error::congestion: return "dropped: waited in the send queue past the channel's max_send_delay";
    case Error::truncated: return "input truncated";
    case Error::trailing_bytes: return "unexpected bytes after the end";
    case Error::value_out_of_range: return "value out of range";
    case Error::length_out_of_range: return "length out of range";
    case Error::malformed: return "malformed input";
    case Error::protocol_violation: return "protocol violation";
    case Error::connection_denied: return "connection denied";
    case Error::connection_timed_out: return "connection timed out";
    case Error::closed_by_peer: return "closed by peer";
    case Error::protocol_mismatch: return "protocol mismatch";
    case Error::disconnected_by_application: return "disconnected by application";
    case Error::rejected_by_application: return "rejected by application";
  }
  return "unknown courier error";
}

/// The single category of every courier error code (its name is "courier", its messages are
/// `describe`'s).
[[nodiscard]] const std::error_category& error_category() noexcept;

[[nodiscard]] inline std::error_code make_error_code(Error e) noexcept {
  return {static_cast<int>(e), error_category()};
}

}  // namespace courier

template <>
struct std::is_error_code_enum<courier::Error> : std::true_type {};

#if !defined(COURIER_SEPARATE_COMPILATION)
#include "courier/core/impl/error.hpp"
#endif
