#pragma once
/// \file
/// receive_batches: drains a transport batch by batch into one reusable buffer, bounded so a
/// flood cannot hold an update forever: by time (the main bound: with the program waiting for
/// input between updates, what it reads then follows its CPU, not a fixed count) and by count.

#include <algorithm>
#include <cstddef>
#include <span>

#include "courier/core/chrono.hpp"
#include "courier/core/time.hpp"
#include "courier/transport/transport.hpp"

namespace courier {

/// Receives into `buffer` and calls `on_datagram(const Datagram&)` for each datagram, until the
/// transport has no more, `limit` datagrams were handled, or `budget` of real (steady clock)
/// time passed, checked after each batch (zero: no time bound). Returns how many were handled.
template <Transport T, class OnDatagram>
std::size_t receive_batches(T& transport, std::span<Datagram> buffer, std::size_t limit, Duration budget,
                            OnDatagram&& on_datagram) noexcept {
  const auto start = std::chrono::steady_clock::now();
  std::size_t total = 0;
  while (total < limit && !buffer.empty()) {
    const std::size_t want = std::min(buffer.size(), limit - total);
    const std::size_t got = transport.receive(buffer.first(want));
    for (std::size_t i = 0; i < got; ++i) on_datagram(buffer[i]);
    total += got;
    if (got < want) break;
    if (budget > Duration::zero() && std::chrono::steady_clock::now() - start >= budget) break;
  }
  return total;
}

}  // namespace courier
