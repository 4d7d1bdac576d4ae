#pragma once
/// \file
/// What the typed API hands back for each send and request, and how a server names a client.
/// All are small values: statuses are read from the Client or Server that issued them, so a
/// send allocates nothing.

#include <cstdint>
#include <system_error>

#include "courier/channel/delivery_status.hpp"
#include "courier/channel/message_handle.hpp"
#include "courier/core/client_handle.hpp"

namespace courier {

/// The delivery of one send: `status(signal)` on the sender reads Queued → Sent → Acked, or
/// Lost / Dropped(reason). A refused send carries its error and reads Dropped(error).
struct Signal {
  MessageHandle handle;
  ClientHandle client;  ///< server sends: the receiving client
  std::error_code error;
  bool in_process = false;  ///< host mode: handed over at the call, reads Acked
  [[nodiscard]] explicit operator bool() const noexcept { return !error; }
};

/// Identifies a request on its client; responses and outcomes carry it.
using RequestId = std::uint64_t;

/// Where a request stands.
enum class RequestStatus : std::uint8_t {
  unknown,        ///< not a request of this client, or its record was reused much later
  sending,        ///< queued or in flight; the server has not received it yet
  waiting,        ///< the server received it; no answer yet
  responded,      ///< the response arrived (a Response<T> event)
  acked,          ///< the server acknowledged it without a response
  rejected,       ///< the server rejected it (or dropped its RequestToken)
  send_failed,    ///< refused at the call, or the connection ended before the server got it
  response_lost,  ///< the connection ended after the server got it, before the answer came
  timed_out,      ///< no answer within ClientConfig::request_timeout; a late answer is dropped
};

[[nodiscard]] constexpr bool is_final(RequestStatus s) noexcept {
  return s != RequestStatus::sending && s != RequestStatus::waiting;
}

[[nodiscard]] constexpr const char* describe(RequestStatus s) noexcept {
  switch (s) {
    case RequestStatus::unknown: return "unknown";
    case RequestStatus::sending: return "sending";
    case RequestStatus::waiting: return "waiting";
    case RequestStatus::responded: return "responded";
    case RequestStatus::acked: return "acked";
    case RequestStatus::rejected: return "rejected";
    case RequestStatus::send_failed: return "send failed";
    case RequestStatus::response_lost: return "response lost";
    case RequestStatus::timed_out: return "timed out";
  }
  return "unknown";
}

/// A request's handle: `status(signal)` on the client reads its RequestStatus.
struct RequestSignal {
  RequestId id = 0;  ///< 0: refused at the call (see `error`)
  std::error_code error;
  [[nodiscard]] explicit operator bool() const noexcept { return !error; }
};

}  // namespace courier
