#pragma once
/// \file
/// RelayLimits: what one client may use of the server's relay (ServerConfig::relay).

#include <cstddef>
#include <cstdint>

#include "courier/core/chrono.hpp"
#include "courier/core/time.hpp"

namespace courier {

/// What one client may use of the relay.
struct RelayLimits {
  std::size_t max_sockets_per_client = 64;        ///< open or pending sockets it is an end of
  std::size_t max_pending_per_client = 16;        ///< its own connects not yet answered
  std::uint64_t bytes_per_second = 1024 * 1024;   ///< data it may send, sustained
  std::uint64_t burst_bytes = 256 * 1024;         ///< data it may send at once
  Duration connect_timeout = std::chrono::seconds(10);  ///< for the target to accept or deny
  Duration idle_timeout = std::chrono::seconds(60);     ///< a socket without data either way closes
  /// Bytes the server holds for a client whose queue is full (frames wait in order); data that
  /// would go past it closes its socket with `overflow` rather than be lost silently.
  std::size_t max_backlog_bytes = 64 * 1024;
};

}  // namespace courier
