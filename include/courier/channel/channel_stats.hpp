#pragma once
/// \file
/// ChannelStats: one channel's send queue, readable each tick (Connection::channel_stats).

#include <cstddef>
#include <cstdint>

#include "courier/core/time.hpp"

namespace courier {

/// The send side of one channel.
struct ChannelStats {
  std::size_t queued = 0;        ///< messages queued or unacked (as Connection::queued)
  Duration queue_delay{};        ///< how long the oldest message not yet written has waited
  std::uint64_t dropped_congestion = 0;  ///< unreliable messages dropped past max_send_delay
};

}  // namespace courier
