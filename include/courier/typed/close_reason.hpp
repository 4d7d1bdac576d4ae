#pragma once
/// \file
/// CloseReason: why a server closed a client's connection. It travels to the client in a
/// control frame (docs/PROTOCOL.md Part 3), so values are stable. Applications may add their
/// own reasons from `CloseReason::application` up.

#include <cstdint>

namespace courier {

enum class CloseReason : std::uint16_t {
  none = 0,
  kicked = 1,               ///< the server's application disconnected the client
  server_shutting_down = 2, ///< the server is stopping
  pack_mismatch = 3,        ///< the client speaks another ChannelPack (schema hash differs)
  protocol_violation = 4,   ///< the client broke the payload format
  application = 1000,       ///< first value left to applications
};

/// A short stable name for logs; "application-defined" from CloseReason::application up.
[[nodiscard]] constexpr const char* describe(CloseReason r) noexcept {
  switch (r) {
    case CloseReason::none: return "none";
    case CloseReason::kicked: return "kicked";
    case CloseReason::server_shutting_down: return "server shutting down";
    case CloseReason::pack_mismatch: return "pack mismatch";
    case CloseReason::protocol_violation: return "protocol violation";
    case CloseReason::application: break;
  }
  return static_cast<std::uint16_t>(r) >= static_cast<std::uint16_t>(CloseReason::application)
             ? "application-defined" : "unknown";
}

}  // namespace courier
