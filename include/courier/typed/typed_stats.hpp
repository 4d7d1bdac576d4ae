#pragma once
/// \file
/// Statistics of the typed layer: the connection's (RTT, jitter, loss, bandwidth, queues,
/// message counters), the netcode layer's drops, and the typed layer's own counters.

#include <cstdint>

#include "courier/channel/connection_stats.hpp"
#include "courier/netcode/netcode_stats.hpp"

namespace courier {

/// What the typed layer itself drops or refuses.
struct TypedCounters {
  std::uint64_t protocol_violations = 0;   ///< peers disconnected for breaking the payload format
  std::uint64_t undecodable_messages = 0;  ///< messages whose bytes are not a valid value of their type
  std::uint64_t late_answers = 0;          ///< answers to requests that had already ended (timed out)
  std::uint64_t pack_mismatches = 0;       ///< server: clients refused for another schema hash
  std::uint64_t dropped_payloads = 0;      ///< payloads of a connection that had already ended here
  std::uint64_t relay_unavailable = 0;     ///< server: clients left without a virtual address (book full or failing)
  /// server: session ticks run by update(): every session once per sweep (every 20 ms), and
  /// between sweeps only those that received, were sent to or have packets under way.
  std::uint64_t sessions_serviced = 0;
};

struct ClientStats {
  ConnectionStats connection;
  netcode::NetcodeClientStats netcode;
  TypedCounters typed;
};

struct ServerStats {
  netcode::NetcodeServerStats netcode;
  TypedCounters typed;
  std::uint64_t connected = 0;  ///< clients with a Connected event and no Disconnected yet
};

}  // namespace courier
