#pragma once
/// \file
/// TransportStats: the counters every concrete transport (Udp, Loopback) keeps, so that a layer
/// above can report them the same way whichever transport it runs on.

#include <cstdint>

#include "courier/core/drop_reason.hpp"

namespace courier {

/// Counters of one transport endpoint. Only datagrams that left or arrived count as sent or
/// received; refused sends, failed system calls and dropped arrivals are counted apart.
struct TransportStats {
  std::uint64_t datagrams_sent = 0;      ///< handed to the network (kernel or loopback inbox)
  std::uint64_t bytes_sent = 0;          ///< payload bytes of datagrams_sent
  std::uint64_t datagrams_received = 0;  ///< delivered to the caller by receive()
  std::uint64_t bytes_received = 0;      ///< payload bytes of datagrams_received
  std::uint64_t send_errors = 0;         ///< datagrams the system refused after send() accepted them
  std::uint64_t receive_errors = 0;      ///< failed receive system calls (not "nothing to read")
  DropCounters drops;                    ///< arrivals dropped before delivery, by reason
};

}  // namespace courier
