#pragma once
/// \file
/// MessageHandle and SendResult: what a send returns.

#include <cstdint>
#include <system_error>

namespace courier {

/// Names one send for `Connection::status`. Eight bytes, no allocation: an index into the
/// connection's status table and the generation that index had when the send took it, so a
/// handle outliving its record reads `unknown` instead of another message's status.
struct MessageHandle {
  std::uint32_t index = 0;
  std::uint32_t generation = 0;  ///< 0: never valid

  [[nodiscard]] constexpr bool valid() const noexcept { return generation != 0; }
  friend constexpr bool operator==(const MessageHandle&, const MessageHandle&) = default;
};

/// A handle, or why the send was refused (message_too_large, send_queue_full, ...).
struct SendResult {
  MessageHandle handle;
  std::error_code error;

  [[nodiscard]] explicit operator bool() const noexcept { return !error; }
};

}  // namespace courier
