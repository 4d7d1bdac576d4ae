#pragma once
/// \file
/// ReceivedMessage: a delivered message, viewed in place.

#include <cstddef>
#include <cstdint>
#include <span>

namespace courier {

/// A message taken from a channel's receive queue. `bytes` views the connection's own storage
/// and stays valid until the next non-const call on that connection.
struct ReceivedMessage {
  std::uint32_t message_id = 0;
  std::span<const std::byte> bytes;
};

}  // namespace courier
