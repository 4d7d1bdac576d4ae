#pragma once
/// \file
/// DeliveryStatus: where a sent message stands.

#include <cstdint>

#include "courier/core/error.hpp"

namespace courier {

/// The life of a message: Queued → Sent → Acked, or it ends Lost or Dropped.
enum class DeliveryState : std::uint8_t {
  unknown,  ///< the handle is invalid, or its record was reused by a much later send
  queued,   ///< waiting in its channel's send queue
  sent,     ///< written into at least one packet, not acked yet
  acked,    ///< the peer's endpoint received it (reliable: all of it)
  lost,     ///< unreliable: its packet was declared lost, or (sequenced) a newer message of the
            ///< channel may have overtaken it and been delivered instead; never resent
  dropped,  ///< given up locally before delivery; `reason` says why
};

/// A message's state; `reason` is set for `dropped` only.
struct DeliveryStatus {
  DeliveryState state = DeliveryState::unknown;
  Error reason = Error::ok;

  /// True once the status can no longer change.
  [[nodiscard]] constexpr bool is_final() const noexcept {
    return state == DeliveryState::acked || state == DeliveryState::lost ||
           state == DeliveryState::dropped || state == DeliveryState::unknown;
  }
  friend constexpr bool operator==(const DeliveryStatus&, const DeliveryStatus&) = default;
};

}  // namespace courier
