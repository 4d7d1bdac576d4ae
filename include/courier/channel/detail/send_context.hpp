#pragma once
/// \file
/// SendContext: what a channel sender needs while it fills one packet.

#include <cstdint>

#include "courier/channel/detail/packet_refs.hpp"
#include "courier/channel/detail/status_table.hpp"

namespace courier::detail {

/// The packet being written (its sequence), where to file what it carries, and the statuses to
/// move from Queued to Sent.
struct SendContext {
  std::uint16_t packet = 0;
  PacketRefs& refs;
  StatusTable& statuses;
};

}  // namespace courier::detail
